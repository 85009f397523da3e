//! Actor codes for the phrases news uses for groups of people, and no actors in ordinary text.

use wirecoder_kb::Kb;

fn code_of(text: &str, surface: &str) -> Option<String> {
    let ms = Kb::shared().mentions(text, None);
    ms.iter()
        .find(|m| &text[m.start..m.end] == surface)
        .and_then(|m| m.code.clone())
}

#[test]
fn people_and_groups() {
    for (text, surface, code) in [
        // The nation, as the Phoenix dictionaries code it; counted or described people are
        // civilians.
        (
            "The Palestinians rejected the proposal.",
            "Palestinians",
            "PSE",
        ),
        (
            "Hundreds of Palestinians protested in Hebron.",
            "Palestinians",
            "PSECVL",
        ),
        (
            "Israeli troops arrested 100 Palestinians.",
            "Palestinians",
            "PSECVL",
        ),
        (
            "Palestinians living in Gaza lack water.",
            "Palestinians",
            "PSECVL",
        ),
        // A capital where something happens: its people; as an actor: its government.
        (
            "A car bomb exploded in central Baghdad.",
            "Baghdad",
            "IRQCVL",
        ),
        ("Moscow denied the report.", "Moscow", "RUSGOV"),
        ("Iraqi Kurds voted.", "Iraqi Kurds", "IRQCVL"),
        (
            "University students throughout Indonesia marched.",
            "students throughout Indonesia",
            "IDNEDU",
        ),
        (
            "Young Algerians blocked roads on Sunday.",
            "Algerians",
            "DZACVL",
        ),
        ("Serb forces shelled the town.", "Serb forces", "SRBMIL"),
        (
            "Israeli soldiers opened fire.",
            "Israeli soldiers",
            "ISRMIL",
        ),
        ("Israeli tanks moved in.", "Israeli tanks", "ISRMIL"),
        (
            "Turkish police detained students.",
            "Turkish police",
            "TURCOP",
        ),
        ("Iraqi civilians fled.", "Iraqi civilians", "IRQCVL"),
        (
            "Afghan guerillas attacked Kabul.",
            "Afghan guerillas",
            "AFGREB",
        ),
        (
            "Sudanese authorities denied it.",
            "Sudanese authorities",
            "SDNGOV",
        ),
        ("Moroccan diplomats left.", "Moroccan diplomats", "MARGOV"),
        (
            "The Liberian government agreed.",
            "Liberian government",
            "LBRGOV",
        ),
        (
            "The government of Liberia agreed.",
            "government of Liberia",
            "LBRGOV",
        ),
        (
            "Opposition groups in Zimbabwe met.",
            "Opposition groups in Zimbabwe",
            "ZWEOPP",
        ),
        (
            "Palestinian youths threw stones.",
            "Palestinian youths",
            "PSECVL",
        ),
        (
            "Nigerian junior foreign minister Dubem Oniya said so.",
            "Nigerian junior foreign minister Dubem Oniya",
            "NGAGOV",
        ),
        (
            "Bosnian Serbs rejected the plan.",
            "Bosnian Serbs",
            "BIHCVL",
        ),
    ] {
        assert_eq!(code_of(text, surface).as_deref(), Some(code), "{text}");
    }
}

#[test]
fn coordinated_and_titled() {
    let t = "The Red Cross said US and British forces must ensure security.";
    assert_eq!(code_of(t, "US").as_deref(), Some("USAMIL"));
    assert_eq!(code_of(t, "British forces").as_deref(), Some("GBRMIL"));
    // A title makes the office current; "former" makes an elite.
    let t = "President Laurent Gbagbo met former President Bill Clinton.";
    let ms = Kb::shared().mentions(t, None);
    let gb = ms
        .iter()
        .find(|m| t[m.start..m.end].contains("Gbagbo"))
        .unwrap();
    assert_eq!(gb.code.as_deref(), Some("CIVGOV"));
    let bc = ms
        .iter()
        .find(|m| t[m.start..m.end].contains("Clinton"))
        .unwrap();
    assert_eq!(bc.code.as_deref(), Some("USAELI"));
    // A bare surname counts after a title only; a one-word name inside a longer one does not.
    assert_eq!(
        code_of("President Mugabe spoke.", "Mugabe").as_deref(),
        Some("ZWEGOV")
    );
    assert_eq!(code_of("Mugabe spoke.", "Mugabe"), None);
    let t = "President Omar Hassan al-Bashir spoke.";
    assert!(code_of(t, "Hassan").is_none());
    assert_eq!(
        code_of("King Hassan of Morocco arrived.", "Hassan of Morocco").as_deref(),
        Some("MARGOV")
    );
}

#[test]
fn ordinary_sentences_have_no_actors() {
    for t in [
        "The people in the town said the tanks were empty and the aircraft was late.",
        "Youths played football while the government of the school met in the hall.",
        "She said the new president of the club, a national hero, would attend.",
        "West of the river, the forces of nature had their way.",
    ] {
        let ms: Vec<_> = Kb::shared()
            .mentions(t, None)
            .into_iter()
            .filter(|m| m.code.is_some())
            .collect();
        assert!(ms.is_empty(), "{t}: {ms:?}");
    }
}

/// Former states are actors while they existed; the text or the date can put them in the past.
#[test]
fn former_states() {
    let kb = Kb::shared();
    let on = |t: &str, surface: &str, y: i32| -> Option<String> {
        let d = chrono::NaiveDate::from_ymd_opt(y, 6, 1);
        kb.mentions(t, d)
            .into_iter()
            .find(|m| &t[m.start..m.end] == surface)
            .and_then(|m| m.code)
    };
    let t = "Yugoslavia lodged a protest; the Yugoslav army shelled Soviet positions.";
    assert_eq!(on(t, "Yugoslavia", 1985).as_deref(), Some("YUG"));
    assert_eq!(on(t, "Yugoslavia", 1999).as_deref(), Some("SCG"));
    assert_eq!(on(t, "Yugoslav army", 1985).as_deref(), Some("YUGMIL"));
    assert_eq!(on(t, "Yugoslavia", 2015), None);
    let t = "Soviet aircraft bombed villages, and Zairean troops fled.";
    assert_eq!(on(t, "Soviet aircraft", 1984).as_deref(), Some("SUNMIL"));
    assert_eq!(on(t, "Zairean troops", 1994).as_deref(), Some("CODMIL"));
    assert_eq!(
        on("Bonn rejected the calls.", "Bonn", 1988).as_deref(),
        Some("DEUGOV")
    );
    assert_eq!(on("Bonn hosted the talks.", "Bonn", 2017), None);
    // Undated: the last code, unless the text looks back ("a former Soviet republic").
    assert_eq!(
        code_of("East Germany said so.", "East Germany").as_deref(),
        Some("DDR")
    );
    assert_eq!(
        code_of("Ukraine, a former Soviet republic, voted.", "Soviet"),
        None
    );
    assert_eq!(code_of("Soviet-era tanks rolled.", "Soviet"), None);
    assert_eq!(
        kb.country("SUN").map(|c| c.name.as_str()),
        Some("Soviet Union")
    );
}

/// Agent phrases: long ones, ones that start with a macro, ordinals and "former" between
/// the country and the agent, free modifiers after a demonym.
#[test]
fn agent_phrases() {
    for (text, surface, code) in [
        (
            "Russia's first Deputy Prime Minister left.",
            "Russia's first Deputy Prime Minister",
            "RUSGOV",
        ),
        (
            "French maritime authorities released the ship.",
            "French maritime authorities",
            "FRAGOV",
        ),
        (
            "Iraq's former defence minister spoke.",
            "Iraq's former defence minister",
            "IRQELI",
        ),
        (
            "The Chilean ministry of foreign affairs said so.",
            "Chilean ministry of foreign affairs",
            "CHLGOV",
        ),
    ] {
        assert_eq!(code_of(text, surface).as_deref(), Some(code), "{text}");
    }
    // A country followed by a verb and an agent noun is no composite.
    assert_eq!(
        code_of("Iraq sends troops.", "Iraq").as_deref(),
        Some("IRQ")
    );
    assert_eq!(Kb::shared().agent("ministry"), Some("GOV"));
}

/// PETRARCH agent dictionaries: prefix agents and patterns that begin with a macro.
#[test]
fn petrarch_agent_forms() {
    let actors = "ARNOR [ARN]\n\nCALENARDHON [CAL]\n";
    let agents = "!MINST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES\nMSF {} [NGO~]\nDIPLOMAT [~GOV]\n!MINST!_OF_SILLY_WALKS [~GOV]\n";
    let kb = Kb::from_petrarch(actors, agents).expect("loads");
    let code = |t: &str, surface: &str| {
        kb.mentions(t, None)
            .into_iter()
            .find(|m| &t[m.start..m.end] == surface)
            .and_then(|m| m.code)
    };
    assert_eq!(
        code("MSF Arnor said so.", "MSF Arnor").as_deref(),
        Some("NGOARN")
    );
    assert_eq!(
        code("An MSF Arnor diplomat said so.", "MSF Arnor diplomat").as_deref(),
        Some("NGOARNGOV")
    );
    assert_eq!(
        code(
            "The Calenardhon Ministry of Silly Walks condemned it.",
            "Calenardhon Ministry of Silly Walks"
        )
        .as_deref(),
        Some("CALGOV")
    );
}

/// Names written with a lower-case Arabic article, ethnic groups by residence, stances.
#[test]
fn articles_residents_and_stances() {
    assert_eq!(
        code_of("Strikes killed eight al-Qaeda leaders.", "al-Qaeda").as_deref(),
        Some("IMGMUSALQ")
    );
    let t = "Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.";
    assert_eq!(code_of(t, "Albanians").as_deref(), Some("SRBCVL"));
    let t = "Ethnic Albanians protested. Serbia said nothing.";
    assert_eq!(code_of(t, "Albanians").as_deref(), Some("ALBCVL"));
    assert_eq!(
        code_of("A prominent anti-Syria journalist was killed.", "Syria"),
        None
    );
    // A compass word alone is no place, and no actor.
    // Peoples of one country are its people; counted or gathered people are civilians.
    assert_eq!(
        code_of("Chechen rebels attacked.", "Chechen rebels").as_deref(),
        Some("RUSREB")
    );
    assert_eq!(
        code_of("Hundreds of Tibetans marched.", "Tibetans").as_deref(),
        Some("CHNCVL")
    );
    assert_eq!(
        code_of("Crowds of Egyptians marched.", "Egyptians").as_deref(),
        Some("EGYCVL")
    );
    let t = "Sudan lifted a state of emergency in West Darfur State.";
    assert!(Kb::shared()
        .mentions(t, None)
        .iter()
        .all(|m| &t[m.start..m.end] != "West"));
}

/// Known people written otherwise after a title, and out of office on the story's date.
#[test]
fn titled_people_written_otherwise() {
    for (text, surface, code) in [
        (
            "President Omar El Bashir shortened the curfew.",
            "Omar El Bashir",
            "SDNGOV",
        ),
        (
            "President Omar Hassan al-Bashir took steps.",
            "Omar Hassan al-Bashir",
            "SDNGOV",
        ),
        (
            "President Francois Mitterand gave a welcome.",
            "Francois Mitterand",
            "FRAGOV",
        ),
    ] {
        assert_eq!(code_of(text, surface).as_deref(), Some(code), "{text}");
    }
    // The government of a titled person is his country's.
    let t = "The military government of President Prosper Avril declared a state of siege.";
    let ms = Kb::shared().mentions(t, None);
    let m = ms
        .iter()
        .find(|m| t[m.start..m.end].contains("Avril"))
        .unwrap();
    assert_eq!(
        &t[m.start..m.end],
        "military government of President Prosper Avril"
    );
    assert_eq!(m.code.as_deref(), Some("HTIGOVMIL"));
    // An office in an international organisation, given in apposition.
    let t = "Kenzo Oshima, the United Nations Emergency Relief Coordinator, demanded access.";
    assert_eq!(code_of(t, "Kenzo Oshima").as_deref(), Some("IGOUNO"));
    // Without a title, or with a first name and surname of someone else, nothing.
    assert_eq!(code_of("Omar El Bashir spoke.", "Omar El Bashir"), None);
    // Out of office on the date, a title still makes the office current.
    let t = "They met President Obama at a lunch.";
    let d = chrono::NaiveDate::from_ymd_opt(2000, 1, 1);
    let ms = Kb::shared().mentions(t, d);
    let m = ms
        .iter()
        .find(|m| t[m.start..m.end].contains("Obama"))
        .unwrap();
    assert_eq!(m.code.as_deref(), Some("USAGOV"));
}
