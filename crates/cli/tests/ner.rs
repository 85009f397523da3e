//! `wirecoder train ner`, `eval ner` and `annotate --ner-model` on a tiny CoNLL-format corpus
//! of our own, written by the test (the CoNLL-2003 data is not ours to copy).

mod common;

use common::{ok, wc};
use serde_json::Value;

const FIRST: &[&str] = &[
    "Ilse", "Tomas", "Marta", "Bruno", "Greta", "Anders", "Lucia", "Pavel", "Nadia", "Oskar",
];
const LAST: &[&str] = &[
    "Varnhagen",
    "Keldorf",
    "Ostrava",
    "Milbeck",
    "Dunmore",
    "Pellegri",
    "Szabrin",
    "Holtmann",
    "Quenby",
    "Rask",
];
const FIRM: &[&str] = &[
    "Brightwater",
    "Norcastle",
    "Silverfen",
    "Ambergate",
    "Redvale",
    "Coldharbour",
    "Westmarch",
    "Ironbridge",
    "Fallowmere",
    "Stonecroft",
];

/// CoNLL-format sentences (`token TAG` lines): people after "minister" and before "said",
/// firms before "Holdings" or "Group"; names `from..to` of the lists above.
fn corpus(from: usize, to: usize) -> String {
    let mut out = String::from("-DOCSTART- O\n\n");
    for i in from..to {
        let (f, l, c) = (
            FIRST[i % 10],
            LAST[(i * 3 + 1) % 10],
            FIRM[(i * 7 + 2) % 10],
        );
        let sents: [&[(&str, &str)]; 3] = [
            &[
                ("Finance", "O"),
                ("minister", "O"),
                (f, "B-PER"),
                (l, "I-PER"),
                ("said", "O"),
                ("on", "O"),
                ("Monday", "O"),
                ("that", "O"),
                ("talks", "O"),
                ("would", "O"),
                ("continue", "O"),
                (".", "O"),
            ],
            &[
                ("Shares", "O"),
                ("in", "O"),
                (c, "B-ORG"),
                (if i % 2 == 0 { "Holdings" } else { "Group" }, "I-ORG"),
                ("rose", "O"),
                ("after", "O"),
                ("the", "O"),
                ("company", "O"),
                ("reported", "O"),
                ("profits", "O"),
                (".", "O"),
            ],
            &[
                (l, "B-PER"),
                ("told", "O"),
                ("reporters", "O"),
                ("the", "O"),
                ("deal", "O"),
                ("with", "O"),
                (c, "B-ORG"),
                ("Group", "I-ORG"),
                ("was", "O"),
                ("close", "O"),
                (".", "O"),
            ],
        ];
        for s in sents {
            for (w, t) in s {
                out.push_str(&format!("{w} {t}\n"));
            }
            out.push('\n');
        }
    }
    out
}

/// The `all` row of the score table: (P, R, F1).
fn overall(stdout: &str) -> (f64, f64, f64) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("all "))
        .unwrap_or_else(|| panic!("no `all` row in {stdout}"));
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .take(3)
        .map(|x| x.parse().unwrap())
        .collect();
    (v[0], v[1], v[2])
}

fn entities(out: &str) -> Vec<(String, String, Value)> {
    let doc: Value = serde_json::from_str(out.lines().next().expect("one document")).unwrap();
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["text"].as_str().unwrap().to_string(),
                e["type"].as_str().unwrap().to_string(),
                e["actor"].clone(),
            )
        })
        .collect()
}

#[test]
fn train_eval_and_annotate_with_a_ner_model() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Train on the first seven names of each list, score on the last three (unseen).
    std::fs::write(d.join("train.txt"), corpus(0, 7)).unwrap();
    std::fs::write(d.join("dev.txt"), corpus(7, 10)).unwrap();
    ok(d, &["train", "ner", "train.txt", "--out", "m/ner.bin"]);
    assert!(d.join("m/ner.bin").exists());

    let o = ok(d, &["eval", "ner", "--model", "m/ner.bin", "dev.txt"]);
    let (p, r, f1) = overall(&o.stdout);
    assert!(f1 >= 0.5, "F1 {f1} (P {p}, R {r}):\n{}", o.stdout);
    for row in ["PER ", "ORG ", "tagging: "] {
        assert!(o.stdout.contains(row), "no {row:?} in\n{}", o.stdout);
    }
    // Trained on the fly: the same scores.
    let o2 = ok(d, &["eval", "ner", "--train", "train.txt", "dev.txt"]);
    assert_eq!(overall(&o2.stdout), (p, r, f1));

    // A model file that is not one is an error, not a panic.
    std::fs::write(d.join("bad.bin"), "not a model").unwrap();
    let bad = wc(d, &["eval", "ner", "--model", "bad.bin", "dev.txt"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("bad.bin"), "{}", bad.stderr);

    // The pipeline keeps its dictionary entities and adds the model's names between them,
    // without actor codes.
    std::fs::write(
        d.join("page.txt"),
        "Talks on the pipeline\n\nFinance minister Greta Quenby said on Monday that Russia \
         and Ukraine would meet.\n\nQuenby told reporters the deal with Redvale Group was close.\n",
    )
    .unwrap();
    let args = ["annotate", "--published", "2024-01-10", "page.txt"];
    let plain = entities(&ok(d, &args).stdout);
    let with = entities(
        &ok(
            d,
            &[
                "annotate",
                "--ner-model",
                "m/ner.bin",
                "--published",
                "2024-01-10",
                "page.txt",
            ],
        )
        .stdout,
    );
    assert!(
        plain.iter().all(|e| with.contains(e)),
        "{plain:?}\n{with:?}"
    );
    assert!(plain.iter().any(|e| e.0 == "Russia"), "{plain:?}");
    assert!(!plain.iter().any(|e| e.0.contains("Quenby")), "{plain:?}");
    let quenby = with
        .iter()
        .find(|e| e.0 == "Greta Quenby")
        .unwrap_or_else(|| panic!("{with:?}"));
    assert_eq!((quenby.1.as_str(), &quenby.2), ("PERSON", &Value::Null));
    assert!(
        with.iter().any(|e| e.0 == "Redvale Group" && e.1 == "ORG"),
        "{with:?}"
    );
    // A missing model file stops the run with its name.
    let missing = wc(d, &["annotate", "--ner-model", "nope.bin", "page.txt"]);
    assert_ne!(missing.code, 0);
    assert!(missing.stderr.contains("nope.bin"), "{}", missing.stderr);
}
