"""/help: how to visit the museum, for visitors who are new to it (many are elderly, arriving from an SMS link).

How to move, open an exhibit, listen, enlarge the text, switch language and use the menu, each with a picture the
project drew (static/help/*.svg), in the three languages, Simplified Chinese first. The page carries all three:
the request's language shows, the others are hidden until the visitor switches (the page's script shows the chosen
one at once, without a reload; without scripts, the language links reload the page in that language).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from markupsafe import escape

from museum.core.i18n import LANGS


class Topic(NamedTuple):
    """One topic of the help: its anchor, picture, and its title, alt text and paragraphs by language."""

    key: str
    picture: str
    title: dict[str, str]
    alt: dict[str, str]
    steps: dict[str, list[str]]


TITLE = {"zh-Hans": "使用帮助", "zh-Hant": "使用說明", "en": "Help"}
INTRO = {
    "zh-Hans": "在手机、电脑或 VR 眼镜上参观博物馆。下面告诉您怎样走动、看展品、听讲解、放大文字和换语言。",
    "zh-Hant": "在手機、電腦或 VR 眼鏡上參觀博物館。下面告訴您怎樣走動、看展品、聽講解、放大文字和換語言。",
    "en": "Visit the museum on a phone, a computer or a VR headset. Here is how to move around, open an exhibit, "
          "listen, make the text larger and change the language.",
}
BACK = {"zh-Hans": "返回博物馆", "zh-Hant": "返回博物館", "en": "Back to the museum"}
CONTENTS = {"zh-Hans": "目录", "zh-Hant": "目錄", "en": "Contents"}
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}

TOPICS = [
    Topic("move", "move.svg",
          {"zh-Hans": "怎样走动", "zh-Hant": "怎樣走動", "en": "How to move"},
          {"zh-Hans": "手机屏幕上，手指左右拖动；右下角有四个圆形按钮：左转、前进、后退、右转。",
           "zh-Hant": "手機螢幕上，手指左右拖動；右下角有四個圓形按鈕：左轉、前進、後退、右轉。",
           "en": "A finger dragging across a phone screen; four round buttons at the bottom right: turn left, "
                 "forward, back, turn right."},
          {"zh-Hans": ["用一根手指在画面上拖动，就能环顾四周。",
                       "点一下地面，就会走到那里。",
                       "也可以按右下角的圆形按钮：▲ 前进，▼ 后退，↺ 向左转，↻ 向右转。按住不放就一直走。",
                       "在电脑上：拖动鼠标环顾，用方向键或 W A S D 键走动。",
                       "按下方的“本厅展品”，选一件展品，就会直接走到它面前。按“前往……”去下一个展厅。"],
           "zh-Hant": ["用一根手指在畫面上拖動，就能環顧四周。",
                       "點一下地面，就會走到那裡。",
                       "也可以按右下角的圓形按鈕：▲ 前進，▼ 後退，↺ 向左轉，↻ 向右轉。按住不放就一直走。",
                       "在電腦上：拖動滑鼠環顧，用方向鍵或 W A S D 鍵走動。",
                       "按下方的「本廳展品」，選一件展品，就會直接走到它面前。按「前往……」去下一個展廳。"],
           "en": ["Drag one finger across the picture to look around.",
                  "Tap the floor to walk there.",
                  "Or press the round buttons at the bottom right: ▲ forward, ▼ back, ↺ turn left, ↻ turn right. "
                  "Hold a button to keep moving.",
                  "On a computer: drag with the mouse to look around; walk with the arrow keys or W A S D.",
                  "Press “Exhibits here” at the bottom and choose an exhibit to walk straight to it. "
                  "“Go to …” takes you to the next gallery."]}),
    Topic("exhibit", "exhibit.svg",
          {"zh-Hans": "怎样看展品", "zh-Hant": "怎樣看展品", "en": "How to open an exhibit"},
          {"zh-Hans": "手指点一下展品，下方出现展品介绍，右上角有关闭按钮。",
           "zh-Hant": "手指點一下展品，下方出現展品介紹，右上角有關閉按鈕。",
           "en": "A finger taps an exhibit; its card with text appears below, with a close button at its top right."},
          {"zh-Hans": ["点一下展品，它的介绍就会打开：名称、年代、故事和图片。",
                       "展品上的小圆点是“看点”，走近后才会出现，点它可以看这一部分的介绍。",
                       "用两根手指张开可以放大画面，捏合可以缩小。",
                       "看完后按 ✕ 关闭。"],
           "zh-Hant": ["點一下展品，它的介紹就會打開：名稱、年代、故事和圖片。",
                       "展品上的小圓點是「看點」，走近後才會出現，點它可以看這一部分的介紹。",
                       "用兩根手指張開可以放大畫面，捏合可以縮小。",
                       "看完後按 ✕ 關閉。"],
           "en": ["Tap an exhibit to open its card: its name, date, story and pictures.",
                  "The small dots on an exhibit are details to look closer at; they appear when you come near. "
                  "Tap one to read about that part.",
                  "Spread two fingers to zoom in, pinch them to zoom out.",
                  "Press ✕ to close the card."]}),
    Topic("listen", "listen.svg",
          {"zh-Hans": "怎样听讲解", "zh-Hant": "怎樣聽講解", "en": "How to listen"},
          {"zh-Hans": "一个大的播放按钮，带喇叭图标；下方是一行字幕，正在读的词被标亮。",
           "zh-Hant": "一個大的播放按鈕，帶喇叭圖示；下方是一行字幕，正在讀的詞被標亮。",
           "en": "A large play button with a loudspeaker; below it a line of captions with the words being read "
                 "highlighted."},
          {"zh-Hans": ["打开一件展品后，按“收听讲解”，就会朗读它的介绍，字幕同时显示。",
                       "请先把手机的音量调大。再按一次可以暂停。",
                       "参加导览时，按“朗读”，每一站都会读给您听。"],
           "zh-Hant": ["打開一件展品後，按「收聽講解」，就會朗讀它的介紹，字幕同時顯示。",
                       "請先把手機的音量調大。再按一次可以暫停。",
                       "參加導覽時，按「朗讀」，每一站都會讀給您聽。"],
           "en": ["Open an exhibit and press “Listen”: its story is read aloud, with captions.",
                  "Turn up your phone's volume first. Press again to pause.",
                  "On a guided tour, press “Read aloud” and every stop is read to you."]}),
    Topic("text", "text.svg",
          {"zh-Hans": "怎样放大文字", "zh-Hant": "怎樣放大文字", "en": "How to make the text larger"},
          {"zh-Hans": "页面顶部的“A+”按钮被按下，小的“字”变成大的“字”。",
           "zh-Hant": "頁面頂部的「A+」按鈕被按下，小的「字」變成大的「字」。",
           "en": "The “A+” button at the top of the page pressed: a small character becomes a large one."},
          {"zh-Hans": ["按页面顶部的“A+”，所有文字都会变大；再按一次恢复。",
                       "按“◐”切换高对比度（黑底亮字），看得更清楚。",
                       "博物馆会记住您的选择，下次打开仍然有效。"],
           "zh-Hant": ["按頁面頂部的「A+」，所有文字都會變大；再按一次恢復。",
                       "按「◐」切換高對比度（黑底亮字），看得更清楚。",
                       "博物館會記住您的選擇，下次打開仍然有效。"],
           "en": ["Press “A+” at the top of the page and all the text grows; press it again to go back.",
                  "Press “◐” for high contrast (bright text on black), easier to read.",
                  "The museum remembers your choice for your next visit."]}),
    Topic("language", "language.svg",
          {"zh-Hans": "怎样换语言", "zh-Hant": "怎樣換語言", "en": "How to change the language"},
          {"zh-Hans": "页面顶部的三个语言按钮：简体、繁體、EN。",
           "zh-Hant": "頁面頂部的三個語言按鈕：简体、繁體、EN。",
           "en": "The three language buttons at the top of the page: 简体, 繁體, EN."},
          {"zh-Hans": ["按页面顶部的“简体”、“繁體”或“EN”，文字马上换成简体中文、繁体中文或英文。",
                       "博物馆会记住您选的语言。"],
           "zh-Hant": ["按頁面頂部的「简体」、「繁體」或「EN」，文字馬上換成簡體中文、繁體中文或英文。",
                       "博物館會記住您選的語言。"],
           "en": ["Press “简体”, “繁體” or “EN” at the top of the page to read in Simplified Chinese, Traditional "
                  "Chinese or English.",
                  "The museum remembers the language you chose."]}),
    Topic("menu", "menu.svg",
          {"zh-Hans": "菜单里有什么", "zh-Hant": "選單裡有什麼", "en": "What is in the menu"},
          {"zh-Hans": "“☰ 菜单”按钮，打开后是展厅、导览、时间轴和搜索的列表。",
           "zh-Hant": "「☰ 選單」按鈕，打開後是展廳、導覽、時間軸和搜尋的列表。",
           "en": "The “☰ Menu” button; it opens a list of galleries, tours, the timeline and search."},
          {"zh-Hans": ["按顶部的“☰ 菜单”：可以去别的展厅、开始导览、看院史时间轴、搜索展品，也能回到这个帮助页。",
                       "导览会带您一站一站地参观，并自动讲解。"],
           "zh-Hant": ["按頂部的「☰ 選單」：可以去別的展廳、開始導覽、看院史時間軸、搜尋展品，也能回到這個說明頁。",
                       "導覽會帶您一站一站地參觀，並自動講解。"],
           "en": ["Press “☰ Menu” at the top to go to another gallery, start a guided tour, see the timeline, "
                  "search for an exhibit, or come back to this help.",
                  "A guided tour takes you from stop to stop and tells you about each one."]}),
]


def help_sections(lang: str, static_url: Callable[[str], str]) -> str:
    """Return the help's content in all three languages; only `lang`'s section is shown."""
    out = []
    for code in LANGS:
        hidden = "" if code == lang else " hidden"
        contents = "".join(f'<li><a href="#{code}-{t.key}">{escape(t.title[code])}</a></li>' for t in TOPICS)
        topics = "".join(
            f'<section class="help-topic" id="{code}-{t.key}" aria-labelledby="{code}-{t.key}-title">'
            f'<h2 id="{code}-{t.key}-title">{escape(t.title[code])}</h2>'
            f'<img class="help-picture" src="{static_url("help/" + t.picture)}" alt="{escape(t.alt[code])}" '
            'width="320" height="200">'
            f'<ol class="help-steps">{"".join(f"<li>{escape(step)}</li>" for step in t.steps[code])}</ol></section>'
            for t in TOPICS)
        out.append(
            f'<div class="help-lang" lang="{code}" data-lang="{code}"{hidden}>'
            f'<p class="lead">{escape(INTRO[code])}</p>'
            f'<nav class="help-contents" aria-label="{escape(CONTENTS[code])}"><ul>{contents}</ul></nav>'
            f'{topics}<p class="back"><a class="exhibit-link" href="/?lang={code}">{escape(BACK[code])}</a></p></div>')
    other = " · ".join(f'<a href="/help?lang={code}" lang="{code}">{LANGUAGE_NAMES[code]}</a>' for code in LANGS)
    return (f'<main id="main" class="help-main"><noscript><p class="help-noscript">{other}</p></noscript>'
            + "".join(out) + "</main>")
