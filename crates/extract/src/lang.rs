//! Language of the extracted text (whatlang), for pages that do not declare one.

/// ISO 639-3 codes whatlang reports, with their ISO 639-1 code.
const CODES: [(&str, &str); 69] = [
    ("epo", "eo"),
    ("eng", "en"),
    ("rus", "ru"),
    ("cmn", "zh"),
    ("spa", "es"),
    ("por", "pt"),
    ("ita", "it"),
    ("ben", "bn"),
    ("fra", "fr"),
    ("deu", "de"),
    ("ukr", "uk"),
    ("kat", "ka"),
    ("ara", "ar"),
    ("hin", "hi"),
    ("jpn", "ja"),
    ("heb", "he"),
    ("yid", "yi"),
    ("pol", "pl"),
    ("amh", "am"),
    ("jav", "jv"),
    ("kor", "ko"),
    ("nob", "nb"),
    ("dan", "da"),
    ("swe", "sv"),
    ("fin", "fi"),
    ("tur", "tr"),
    ("nld", "nl"),
    ("hun", "hu"),
    ("ces", "cs"),
    ("ell", "el"),
    ("bul", "bg"),
    ("bel", "be"),
    ("mar", "mr"),
    ("kan", "kn"),
    ("ron", "ro"),
    ("slv", "sl"),
    ("hrv", "hr"),
    ("srp", "sr"),
    ("mkd", "mk"),
    ("lit", "lt"),
    ("lav", "lv"),
    ("est", "et"),
    ("tam", "ta"),
    ("vie", "vi"),
    ("urd", "ur"),
    ("tha", "th"),
    ("guj", "gu"),
    ("uzb", "uz"),
    ("pan", "pa"),
    ("aze", "az"),
    ("ind", "id"),
    ("tel", "te"),
    ("pes", "fa"),
    ("mal", "ml"),
    ("ori", "or"),
    ("mya", "my"),
    ("nep", "ne"),
    ("sin", "si"),
    ("khm", "km"),
    ("tuk", "tk"),
    ("aka", "ak"),
    ("zul", "zu"),
    ("sna", "sn"),
    ("afr", "af"),
    ("lat", "la"),
    ("slk", "sk"),
    ("cat", "ca"),
    ("tgl", "tl"),
    ("hye", "hy"),
];

/// Characters of text read: enough for a reliable guess, cheap on long pages.
const SAMPLE: usize = 2000;

/// ISO 639-1 code of `text`'s language when whatlang is confident; `None` for short or
/// mixed text.
pub(crate) fn detect(text: &str) -> Option<String> {
    let end = text
        .char_indices()
        .nth(SAMPLE)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    if sample.split_whitespace().count() < 8 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    CODES
        .iter()
        .find(|(three, _)| *three == code)
        .map(|(_, two)| (*two).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_languages() {
        assert_eq!(
            detect("North Korean leader Kim Jong Un held talks with Russian President Vladimir Putin on Wednesday, the Kremlin said.").as_deref(),
            Some("en")
        );
        assert_eq!(
            detect("Der nordkoreanische Machthaber Kim Jong Un hat am Mittwoch mit dem russischen Präsidenten Wladimir Putin gesprochen, teilte der Kreml mit.").as_deref(),
            Some("de")
        );
        assert_eq!(detect("Kim meets Putin"), None);
    }
}
