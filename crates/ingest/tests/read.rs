//! Reading a folder of good and bad inputs: the good ones come out, each bad one is an error
//! naming its file, and iteration goes on.

use std::io::Write;
use wirecoder_ingest::{read_inputs, read_inputs_with, Format, IngestError, Limits};

const SEED_HEAD: &str = "The US And Its Allies Denounce Weapon Exchanges Between North Korea And Russia\n\n\
Since the onset of the Ukraine conflict, Moscow and Pyongyang have moved closer together, despite both parties denying engaging in any arms transactions.\n";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn folder_with_good_and_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a_good.txt"), SEED_HEAD).unwrap();
    std::fs::write(d.join("b_empty.txt"), "").unwrap();
    std::fs::write(
        d.join("c_binary.bin"),
        [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0],
    )
    .unwrap();
    let gz = gzip(SEED_HEAD.repeat(50).as_bytes());
    std::fs::write(d.join("d_truncated.txt.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(
        d.join("e_good.html.gz"),
        gzip(b"<html><body><p>Seoul protested.</p></body></html>"),
    )
    .unwrap();
    std::fs::write(
        d.join("f_latin1.txt"),
        b"Gr\xe8ve g\xe9n\xe9rale \xe0 Paris\n\nLes syndicats ont appel\xe9 \xe0 la gr\xe8ve contre la r\xe9forme des retraites.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("g_docs.jsonl"),
        concat!(
            r#"{"id":"a1","url":"https://example.org/1","title":"Kim visits Russia","published":"2024-01-10","text":"North Korean leader Kim Jong Un held talks with President Vladimir Putin."}"#, "\n",
            "{\"id\": \"a2\", \"text\": broken\n",
            "\n",
            r#"{"id":7,"html":"<p>The Kremlin declined to comment.</p>"}"#, "\n",
        ),
    )
    .unwrap();
    std::fs::create_dir(d.join(".hidden")).unwrap();
    std::fs::write(d.join(".hidden/secret.txt"), "not read").unwrap();

    let all: Vec<_> = read_inputs(&[d.display().to_string()]).collect();
    let shown: Vec<String> = all
        .iter()
        .map(|r| match r {
            Ok(doc) => format!("ok {}", doc.source),
            Err(e) => format!("err {e}"),
        })
        .collect();
    assert_eq!(all.len(), 9, "{shown:#?}");

    let good = all[0].as_ref().unwrap();
    assert!(good.source.ends_with("a_good.txt"));
    assert_eq!(good.format, Format::TextPage);
    assert!(good.text.starts_with("The US And Its Allies"));
    assert_eq!(good.meta.path.as_deref(), Some(good.source.as_str()));

    let e = all[1].as_ref().unwrap_err();
    assert!(matches!(e, IngestError::Empty { .. }));
    assert!(
        e.to_string().contains("b_empty.txt") && e.to_string().contains("empty file"),
        "{e}"
    );
    let e = all[2].as_ref().unwrap_err();
    assert!(
        matches!(e, IngestError::Binary { .. }) && e.to_string().contains("c_binary.bin"),
        "{e}"
    );
    let e = all[3].as_ref().unwrap_err();
    assert!(
        matches!(e, IngestError::Gzip { .. }) && e.to_string().contains("d_truncated.txt.gz"),
        "{e}"
    );
    assert!(!e.to_string().contains('\n'));

    let html = all[4].as_ref().unwrap();
    assert_eq!(html.format, Format::Html);
    assert!(html.text.contains("<p>Seoul protested.</p>"));

    let latin = all[5].as_ref().unwrap();
    assert!(
        latin
            .text
            .contains("Les syndicats ont appelé à la grève contre la réforme"),
        "{}",
        latin.text
    );

    let j1 = all[6].as_ref().unwrap();
    assert!(j1.source.ends_with("g_docs.jsonl:1"));
    assert_eq!(j1.format, Format::Body);
    assert_eq!(j1.meta.id.as_deref(), Some("a1"));
    assert_eq!(j1.meta.title.as_deref(), Some("Kim visits Russia"));
    assert_eq!(j1.meta.published.as_deref(), Some("2024-01-10"));
    assert_eq!(j1.meta.url.as_deref(), Some("https://example.org/1"));
    let e = all[7].as_ref().unwrap_err();
    assert!(e.to_string().contains("g_docs.jsonl:2:"), "{e}");
    // The bad line did not stop the file, and the hidden folder was skipped.
    let j4 = all[8].as_ref().unwrap();
    assert!(j4.source.ends_with("g_docs.jsonl:4"));
    assert_eq!(j4.format, Format::Html);
    assert_eq!(j4.meta.id.as_deref(), Some("7"));
}

#[test]
fn globs_missing_inputs_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("one.html"), "<p>Russia condemned Ukraine.</p>").unwrap();
    std::fs::write(d.join("two.html"), "<p>Ukraine condemned Russia.</p>").unwrap();
    std::fs::write(d.join("three.txt"), "Not matched by the pattern\n\nBody.").unwrap();
    let inputs = vec![
        format!("{}/*.html", d.display()),
        format!("{}/missing.txt", d.display()),
        format!("{}/three.txt", d.display()),
    ];
    let all: Vec<_> = read_inputs(&inputs).collect();
    assert_eq!(all.len(), 4);
    assert!(all[0].as_ref().unwrap().source.ends_with("one.html"));
    assert!(all[1].as_ref().unwrap().source.ends_with("two.html"));
    assert!(all[2]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("missing.txt"));
    assert_eq!(all[3].as_ref().unwrap().format, Format::TextPage);

    let small = Limits {
        max_page_bytes: 10,
        max_decompressed: 10,
        ..Limits::default()
    };
    let all: Vec<_> = read_inputs_with(&[format!("{}/one.html", d.display())], small).collect();
    let e = all[0].as_ref().unwrap_err();
    assert!(
        matches!(e, IngestError::TooLarge { .. }) && e.to_string().contains("one.html"),
        "{e}"
    );
}
