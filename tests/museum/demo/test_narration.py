"""The demo's synthetic narration: sentences become caption cues timed by the audio spoken for each."""

from __future__ import annotations

import pytest

from museum.demo import narration
from museum.uploads.media_checks import check_media


def test_sentences_keep_their_punctuation_and_closing_quotes() -> None:
    assert narration.sentences("这个模型纪念“首例”：全国首例。原文没有写日期！请看顶端？") == [
        "这个模型纪念“首例”：全国首例。", "原文没有写日期！", "请看顶端？"]
    assert narration.sentences("他说：“好。”然后走了。") == ["他说：“好。”", "然后走了。"]
    assert narration.sentences("Sample text. This is a stethoscope.\n\nA second part") == [
        "Sample text.", "This is a stethoscope.", "A second part"]
    assert narration.sentences("  ") == []


def test_webvtt_numbers_and_times_its_cues() -> None:
    assert narration.webvtt([(0.0, 1.5926, "示例文字。"), (1.9425, 3725.25, "a --> b")]) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.593\n示例文字。\n\n"
        "2\n00:00:01.942 --> 01:02:05.250\na → b\n")


@pytest.mark.skipif(not narration.available(), reason="espeak-ng is not installed (scripts/setup.sh installs it)")
def test_synthesis_gives_one_cue_per_sentence_timed_by_the_audio() -> None:
    spoken = narration.synthesize("示例文字。这是一根单管听诊器。模型为本演示制作。", "zh-Hans")
    checked = check_media(spoken.audio, spoken.suffix)  # what a curator's upload must pass, the demo's passes too
    assert checked.kind == "audio"
    cues = [block.split("\n") for block in spoken.captions.split("\n\n")[1:]]
    assert [c[2] for c in cues] == ["示例文字。", "这是一根单管听诊器。", "模型为本演示制作。"]
    times = [tuple(c[1].split(" --> ")) for c in cues]
    assert all(start < end for start, end in times)
    assert all(times[i][1] < times[i + 1][0] for i in range(len(times) - 1))  # a pause between sentences
    assert 2.0 < spoken.seconds < 30.0
    assert check_media(spoken.captions.encode(), ".vtt").media_type == "text/vtt"
