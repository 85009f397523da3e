//! The trained model: a tiny-corpus training smoke test, serialisation, and the shipped model
//! on real news sentences.

use wirecoder_doc::{Doc, Pos};
use wirecoder_syntax::{parse_conllu, sentences, tokenize, Model, TrainOptions};

const TINY: &str = "\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tarmy\tarmy\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tshelled\tshell\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_
5\tcity\tcity\tNOUN\tNN\t_\t3\tobj\t_\t_
6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tRebels\trebel\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\tbase\tbase\tNOUN\tNN\t_\t2\tobj\t_\t_
5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_
";

#[test]
fn tiny_corpus_trains_round_trips_and_is_deterministic() {
    let sents = parse_conllu(TINY, "tiny").expect("valid CoNLL-U");
    let opts = TrainOptions {
        tagger_epochs: 5,
        parser_epochs: 5,
        jackknife_folds: 1,
        tagger_bits: 12,
        parser_bits: 12,
    };
    let m = Model::train(&sents, &opts, &mut |_| {}).expect("trains");
    let bytes = m.to_bytes().expect("serialises");
    let again = Model::train(&sents, &opts, &mut |_| {}).expect("trains");
    assert_eq!(
        bytes,
        again.to_bytes().expect("serialises"),
        "training is deterministic"
    );
    let m = Model::from_bytes(&bytes).expect("loads");
    let a = m.analyse_words(&["The", "army", "shelled", "the", "city", "."]);
    let tags: Vec<&str> = a.iter().map(|x| x.upos.as_str()).collect();
    assert_eq!(tags, ["DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"]);
    let heads: Vec<usize> = a.iter().map(|x| x.head).collect();
    assert_eq!(heads, [2, 3, 0, 5, 3, 3]);
    assert_eq!(a[2].lemma, "shell");
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(Model::from_bytes(b"not a model").is_err());
}

fn analyse(text: &str) -> Doc {
    let mut doc = Doc::new(text);
    doc.sentences = sentences(text, &[]);
    for (i, s) in doc.sentences.clone().iter().enumerate() {
        doc.tokens.extend(tokenize(text, s.start, s.end, i));
    }
    Model::shared()
        .expect("shipped model loads")
        .analyse(&mut doc);
    doc
}

#[test]
fn shipped_model_tags_and_parses_news() {
    let text =
        "Russian forces shelled Kharkiv on Tuesday, officials said. The U.S. didn't comment.";
    let doc = analyse(text);
    let word = |i: usize| &text[doc.tokens[i].span.start..doc.tokens[i].span.end];
    let find = |w: &str| {
        (0..doc.tokens.len())
            .find(|&i| word(i) == w)
            .expect("token present")
    };
    let shelled = find("shelled");
    let t = &doc.tokens[shelled];
    assert_eq!(t.pos, Some(Pos::Verb));
    assert_eq!(t.lemma.as_deref(), Some("shell"));
    // "shelled" is the complement of "said", the root of the first sentence.
    let said = find("said");
    assert_eq!(doc.tokens[said].head, None);
    assert_eq!(doc.tokens[said].deprel.as_deref(), Some("root"));
    assert_eq!(t.head, Some(said));
    let forces = find("forces");
    assert_eq!(doc.tokens[forces].head, Some(shelled));
    assert_eq!(doc.tokens[forces].deprel.as_deref(), Some("nsubj"));
    assert_eq!(doc.tokens[find("Kharkiv")].pos, Some(Pos::Propn));
    // The clitic is its own token, tagged as the negation it is.
    let nt = find("n't");
    assert_eq!(doc.tokens[nt].pos, Some(Pos::Part));
    assert_eq!(doc.tokens[nt].deprel.as_deref(), Some("advmod"));
    assert_eq!(doc.tokens[find("did")].lemma.as_deref(), Some("do"));
    // Heads stay inside their sentence.
    for (i, t) in doc.tokens.iter().enumerate() {
        if let Some(h) = t.head {
            assert_eq!(doc.tokens[h].sentence, t.sentence, "token {i}");
        }
    }
}

/// The shipped model remembers recent sentences: asking again, or after others that fill and
/// roll over its memory, gives the same analyses as a copy that remembers nothing.
#[test]
fn remembered_analyses_are_the_same() {
    let m = Model::shared().expect("shipped model loads");
    let fresh = m.clone();
    let sents: Vec<Vec<String>> = (0..40)
        .map(|i| {
            format!("The army shelled {i} villages near the city on Monday .")
                .split(' ')
                .map(str::to_string)
                .collect()
        })
        .collect();
    let odd = ["The", "talks", "collapsed", "."];
    // Same words, split differently: must not be taken for one another.
    let odd2 = ["Th", "etalks", "collapsed", "."];
    for round in 0..2 {
        for s in sents.iter().chain(std::iter::once(&sents[0])) {
            assert_eq!(m.analyse_words(s), fresh.analyse_words(s), "round {round}");
        }
        assert_eq!(m.analyse_words(&odd), fresh.analyse_words(&odd));
        assert_eq!(m.analyse_words(&odd2), fresh.analyse_words(&odd2));
    }
}
