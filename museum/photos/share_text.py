"""What the guest's share page says, in each language it speaks (chosen by ?lang=, then Accept-Language)."""

from __future__ import annotations

SHARE_TEXT: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "title": "您的合影", "museum": "医院历史博物馆",
        "waiting": "照片正在生成，请稍候…", "failed": "抱歉，照片生成失败，请在展台重新拍摄。",
        "alt": "您在博物馆的合影", "hint": "长按图片即可保存到手机",
        "download": "下载原图", "full_size": "查看原图（长按保存）",
        "wechat": "在微信里：长按上方照片，选择“保存图片”。保存原图：点“查看原图”后长按；"
                  "或点右上角“···”，选“在浏览器打开”后下载。",
        "delete_now": "立即删除", "delete_warn": "删除后，照片和链接将无法恢复。", "delete_confirm": "确认删除",
        "taken": "拍摄于 {taken}", "expiry": "链接有效期至 {expires}，之后照片会自动删除。",
    },
    "zh-Hant": {
        "title": "您的合影", "museum": "醫院歷史博物館",
        "waiting": "照片正在生成，請稍候…", "failed": "抱歉，照片生成失敗，請在展台重新拍攝。",
        "alt": "您在博物館的合影", "hint": "長按圖片即可儲存到手機",
        "download": "下載原圖", "full_size": "查看原圖（長按儲存）",
        "wechat": "在微信裡：長按上方照片，選擇「儲存圖片」。儲存原圖：點「查看原圖」後長按；"
                  "或點右上角「···」，選「在瀏覽器開啟」後下載。",
        "delete_now": "立即刪除", "delete_warn": "刪除後，照片和連結將無法恢復。", "delete_confirm": "確認刪除",
        "taken": "拍攝於 {taken}", "expiry": "連結有效期至 {expires}，之後照片會自動刪除。",
    },
    "en": {
        "title": "Your museum photo", "museum": "Hospital History Museum",
        "waiting": "Your photo is being prepared - this takes a few seconds.",
        "failed": "Sorry, the photo could not be made. Please take it again at the booth.",
        "alt": "Your photo at the museum", "hint": "Long-press the photo to save it",
        "download": "Download full size", "full_size": "Open full size (long-press to save)",
        "wechat": "In WeChat: long-press the photo above and choose Save Image. For the full size, tap Open full "
                  "size and long-press it, or tap ··· (top right), Open in Browser, and download it there.",
        "delete_now": "Delete now", "delete_warn": "The photo and this link will be gone for good.",
        "delete_confirm": "Yes, delete it",
        "taken": "Taken {taken}", "expiry": "This link works until {expires}; then the photo is deleted.",
    },
}
LANG_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}


def share_lang(lang: str) -> str:
    """Return the share page language closest to a negotiated one."""
    if lang in SHARE_TEXT:
        return lang
    return "zh-Hans" if lang.startswith("zh") else "en"


def is_wechat(user_agent: str | None) -> bool:
    """Return whether a request comes from WeChat's in-app browser (its user agent says MicroMessenger)."""
    return "micromessenger" in (user_agent or "").lower()
