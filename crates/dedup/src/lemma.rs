//! Lemma keys for event triggers: irregular forms to their base, a few news synonyms, then
//! suffix stripping. The keys need only be equal for forms of one word ("made", "making",
//! "makes" → "mak"); they are not meant to be shown.

const IRREGULAR: &[(&str, &str)] = &[
    ("said", "say"),
    ("says", "say"),
    ("shot", "shoot"),
    ("shootings", "shoot"),
    ("shooting", "shoot"),
    ("gunfire", "shoot"),
    ("hit", "hit"),
    ("struck", "strike"),
    ("fled", "flee"),
    ("caught", "catch"),
    ("fought", "fight"),
    ("took", "take"),
    ("taken", "take"),
    ("gave", "give"),
    ("given", "give"),
    ("won", "win"),
    ("lost", "lose"),
    ("left", "leave"),
    ("met", "meet"),
    ("sent", "send"),
    ("held", "hold"),
    ("told", "tell"),
    ("made", "make"),
    ("found", "find"),
    ("brought", "bring"),
    ("began", "begin"),
    ("begun", "begin"),
    ("ran", "run"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("came", "come"),
    ("went", "go"),
    ("gone", "go"),
    ("saw", "see"),
    ("seen", "see"),
    ("got", "get"),
    ("led", "lead"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("wrote", "write"),
    ("written", "write"),
    ("beat", "beat"),
    ("beaten", "beat"),
    ("broke", "break"),
    ("broken", "break"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("drove", "drive"),
    ("flew", "fly"),
    ("froze", "freeze"),
    ("knew", "know"),
    ("known", "know"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("sold", "sell"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("bought", "buy"),
    ("built", "build"),
    ("dealt", "deal"),
    ("felt", "feel"),
    ("kept", "keep"),
    ("meant", "mean"),
    ("paid", "pay"),
    ("spent", "spend"),
    ("stood", "stand"),
    ("thought", "think"),
    ("sought", "seek"),
    ("sank", "sink"),
    ("sunk", "sink"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("overthrew", "overthrow"),
    ("died", "die"),
    ("dies", "die"),
    ("dying", "die"),
    ("death", "die"),
    ("deaths", "die"),
    ("dead", "die"),
    ("lay", "lie"),
    ("hung", "hang"),
    ("shook", "shake"),
    ("shaken", "shake"),
    ("quake", "quake"),
    ("earthquake", "quake"),
    ("earthquakes", "quake"),
    ("tremor", "quake"),
    ("temblor", "quake"),
    ("was", "be"),
    ("were", "be"),
    ("is", "be"),
    ("are", "be"),
    ("been", "be"),
    ("has", "have"),
    ("had", "have"),
    ("did", "do"),
    ("done", "do"),
    ("bled", "bleed"),
    ("fed", "feed"),
    ("swept", "sweep"),
    ("slew", "slay"),
    ("slain", "slay"),
    ("killings", "kill"),
    ("killing", "kill"),
    ("arrests", "arrest"),
    ("wounded", "wound"),
    ("injured", "injure"),
    ("injuries", "injure"),
    ("injury", "injure"),
    ("bid", "bid"),
    ("sentenced", "sentence"),
    ("appointed", "appoint"),
    ("appointment", "appoint"),
    ("nomination", "nominate"),
    ("nominated", "nominate"),
    ("acquisition", "acquire"),
    ("acquired", "acquire"),
    ("explosion", "explode"),
    ("exploded", "explode"),
    ("election", "elect"),
    ("elected", "elect"),
    ("reelected", "elect"),
    ("re-elected", "elect"),
    ("hospitalized", "hospitalize"),
    ("rehab", "rehab"),
    ("rehabilitation", "rehab"),
];

/// News synonyms for the same kind of happening, mapped onto one base (general English,
/// WordNet-style synsets of frequent event verbs; not tuned to one corpus's topics).
const SYNONYMS: &[(&str, &str)] = &[
    ("strike", "hit"),
    ("smash", "hit"),
    ("capture", "arrest"),
    ("apprehend", "arrest"),
    ("nab", "arrest"),
    ("detain", "arrest"),
    ("thwart", "foil"),
    ("gun", "shoot"),
    ("fire", "shoot"),
    ("slay", "kill"),
    ("murder", "kill"),
    ("dui", "driving"),
    ("quit", "resign"),
    ("resignation", "resign"),
    ("purchase", "buy"),
    ("buyout", "buy"),
    ("crash", "collide"),
    ("collision", "collide"),
    ("blast", "explode"),
    ("sack", "dismiss"),
    ("oust", "dismiss"),
    ("unveil", "announce"),
    ("launch", "release"),
];

/// The lemma key of a word (any case).
pub fn lemma_key(word: &str) -> String {
    let w = word.to_lowercase();
    let base = IRREGULAR
        .iter()
        .find(|(f, _)| *f == w)
        .map(|(_, b)| b.to_string())
        .unwrap_or(w);
    let syn = |b: &str| {
        SYNONYMS
            .iter()
            .find(|(f, _)| *f == b)
            .map(|(_, t)| t.to_string())
    };
    let base = syn(&base)
        .or_else(|| {
            // inflected synonyms: "captured" → "captur" meets "capture" → "captur"
            let s = stem(&base);
            SYNONYMS
                .iter()
                .find(|(f, _)| stem(f) == s)
                .map(|(_, t)| t.to_string())
        })
        .unwrap_or(base);
    stem(&base)
}

fn stem(w: &str) -> String {
    let n = w.len();
    if !w.is_ascii() || n <= 3 {
        return w.to_string();
    }
    let s = if n > 5 && (w.ends_with("ies") || w.ends_with("ied")) {
        format!("{}y", &w[..n - 3])
    } else if n > 5 && w.ends_with("ing") {
        w[..n - 3].to_string()
    } else if n > 4 && (w.ends_with("ed") || w.ends_with("es") && !w.ends_with("ses")) {
        w[..n - 2].to_string()
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..n - 1].to_string()
    } else {
        w.to_string()
    };
    let s = s.strip_suffix('e').map(str::to_string).unwrap_or(s);
    // "stopped"/"stopping" → "stopp" → "stop"
    let b = s.as_bytes();
    let m = b.len();
    if m >= 3 && b[m - 1] == b[m - 2] && !b"aeiouslz".contains(&b[m - 1]) {
        s[..m - 1].to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::lemma_key;

    #[test]
    fn forms_meet() {
        for (a, b) in [
            ("made", "making"),
            ("make", "makes"),
            ("killed", "kills"),
            ("killing", "kill"),
            ("died", "death"),
            ("stopped", "stopping"),
            ("stop", "stopped"),
            ("arrested", "arrests"),
            ("earthquake", "quake"),
            ("Announced", "announces"),
            ("tries", "tried"),
        ] {
            assert_eq!(lemma_key(a), lemma_key(b), "{a} {b}");
        }
        assert_ne!(lemma_key("kill"), lemma_key("die"));
        assert_ne!(lemma_key("shot"), lemma_key("said"));
    }
}
