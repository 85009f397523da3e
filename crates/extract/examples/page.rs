//! Development aid: extracts one page (`.html` or `.html.gz`) and prints its metadata, where
//! the date came from, and the main text.
//!
//! `cargo run --release -p wirecoder-extract --example page -- FILE [URL]`

use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: page FILE [URL]")?;
    let url = args.next();
    let mut bytes = std::fs::read(&path)?;
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out)?;
        bytes = out;
    }
    let html = wirecoder_extract::decode_page(&bytes);
    let a = wirecoder_extract::extract_html(&html, url.as_deref());
    println!("title: {:?}", a.meta.title);
    println!("author: {:?}", a.meta.author);
    println!(
        "published: {:?} from {:?}; modified {:?}",
        a.meta.published, a.published_from, a.modified
    );
    println!("language: {:?}  site: {:?}", a.meta.language, a.meta.site);
    if std::env::var_os("TEXT").is_some() {
        println!("----\n{}", a.text);
    }
    Ok(())
}
