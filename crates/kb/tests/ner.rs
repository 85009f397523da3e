//! The NER tagger: trains on a handful of sentences, tags new ones, survives save and load.

use wirecoder_kb::{read_conll, spans, Kb, NerModel};

/// A few news sentences in CoNLL's layout (token, POS, chunk, IOB1 tag), written for this test.
const TRAIN: &str = "\
-DOCSTART- -X- -X- O

Kremlin NNP B-NP I-ORG
spokesman NN I-NP O
Dmitry NNP I-NP I-PER
Peskov NNP I-NP I-PER
said VBD B-VP O
on IN B-PP O
Monday NNP B-NP O
that IN O O
Moscow NNP B-NP I-LOC
would MD B-VP O
respond VB I-VP O
. . O O

Acme NNP B-NP I-ORG
Holdings NNP I-NP I-ORG
shares NNS I-NP O
fell VBD B-VP O
in IN B-PP O
Frankfurt NNP B-NP I-LOC
after IN B-PP O
Maria NNP B-NP I-PER
Lindqvist NNP I-NP I-PER
resigned VBD B-VP O
. . O O

Talks NNS B-NP O
between IN B-PP O
Ukrainian JJ B-NP I-MISC
and CC O O
Polish JJ B-NP I-MISC
officials NNS I-NP O
opened VBD B-VP O
in IN B-PP O
Warsaw NNP B-NP I-LOC
. . O O

Borel NNP B-NP I-ORG
Mining NNP I-NP I-ORG
said VBD B-VP O
Jonas NNP B-NP I-PER
Okafor NNP I-NP I-PER
will MD B-VP O
visit VB I-VP O
Nairobi NNP B-NP I-LOC
. . O O
";

fn model() -> NerModel {
    let data = read_conll(TRAIN);
    assert_eq!(data.len(), 4);
    NerModel::train(Kb::shared(), &data, 10)
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}

#[test]
fn learns_the_training_sentences() {
    let m = model();
    assert!(m.feature_count() > 0);
    for s in read_conll(TRAIN) {
        let got = spans(&m.tag(Kb::shared(), &s.tokens));
        assert_eq!(got, spans(&s.tags), "{:?}", s.tokens);
    }
}

#[test]
fn tags_unseen_text_with_valid_bio() {
    let m = model();
    let toks = words("Maria Okafor said Acme Mining would open in Nairobi .");
    let tags = m.tag(Kb::shared(), &toks);
    assert_eq!(tags.len(), toks.len());
    // A greedy tagger with the BIO constraint never starts an entity with I-.
    for (i, t) in tags.iter().enumerate() {
        if let Some(ty) = t.strip_prefix("I-") {
            let prev = i.checked_sub(1).map(|p| tags[p].as_str()).unwrap_or("O");
            assert!(prev.ends_with(ty) && prev != "O", "{tags:?}");
        }
    }
    let sp = spans(&tags);
    assert!(sp.contains(&(8, 9, "LOC".to_string())), "{tags:?}");
    assert!(m.tag(Kb::shared(), &[]).is_empty());
    // Tokens that are not words at all.
    let odd = words("ÉCLAIR — ” 123,456 ’s");
    assert_eq!(m.tag(Kb::shared(), &odd).len(), odd.len());
}

#[test]
fn save_and_load_keep_the_tags() {
    let m = model();
    let mut buf = Vec::new();
    m.save(&mut buf).unwrap();
    let back = NerModel::load(&mut buf.as_slice(), "test").unwrap();
    assert_eq!(back.feature_count(), m.feature_count());
    assert_eq!(back.labels(), m.labels());
    let toks = words("Dmitry Lindqvist of Borel Holdings flew to Warsaw from Frankfurt .");
    assert_eq!(back.tag(Kb::shared(), &toks), m.tag(Kb::shared(), &toks));
    // Damaged files are errors, not panics.
    assert!(NerModel::load(&mut &buf[..buf.len() - 3], "test").is_err());
    assert!(NerModel::load(&mut &b"WCNER1\nO\n"[..], "test").is_err());
    assert!(NerModel::load(&mut &b"garbage"[..], "test").is_err());
    let mut huge = b"WCNER2\nO B-PER\n".to_vec();
    huge.extend_from_slice(&u64::MAX.to_le_bytes());
    assert!(NerModel::load(&mut huge.as_slice(), "test").is_err());
}
