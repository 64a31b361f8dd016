//! French département codes and names, for `--rollup departement`.
//!
//! Why a table in code: the rollup sentence "Aveyron: 13 of 285 communes have
//! cameras" needs the name, and the INSEE population file has none. These
//! are public facts (INSEE COG 2026), checked against the shared copy of the
//! official list by a real-data test.
//!
//! In: an INSEE commune code. Out: its département code and name.

/// `(code, name)`, sorted by code.
pub const DEPARTEMENTS: &[(&str, &str)] = &[
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("975", "Saint-Pierre-et-Miquelon"),
    ("976", "Mayotte"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("984", "Terres australes et antarctiques françaises"),
    ("986", "Wallis et Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
    ("989", "Île de Clipperton"),
];

/// The département part of an INSEE commune code: three characters for
/// overseas codes (97x, 98x), else two (including 2A and 2B for Corsica).
/// Anything but a five-character code of digits (2A/2B in front for
/// Corsica) has none: a code read as a number lost its leading zero
/// (`6012` for 06012), and taking its first two digits would file it in
/// the wrong département.
///
/// # Examples
/// ```
/// use camcount::departements::departement_of;
/// assert_eq!(departement_of("12202"), Some("12"));
/// assert_eq!(departement_of("2A004"), Some("2A"));
/// assert_eq!(departement_of("2b033"), Some("2B"));
/// assert_eq!(departement_of("97411"), Some("974"));
/// assert_eq!(departement_of("6012"), None);
/// assert_eq!(departement_of(""), None);
/// ```
pub fn departement_of(insee: &str) -> Option<&str> {
    let insee = insee.trim();
    let bytes = insee.as_bytes();
    // In small letters too ("2a004"): an OSM `ref:INSEE` so written joined
    // the side files but rolled up under "(no INSEE code)" (2026-12-06).
    let corsica = match bytes {
        [b'2', b'A' | b'a', ..] => Some("2A"),
        [b'2', b'B' | b'b', ..] => Some("2B"),
        _ => None,
    };
    let digits_from = if corsica.is_some() { 2 } else { 0 };
    if bytes.len() != 5 || !bytes[digits_from..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if corsica.is_some() {
        return corsica;
    }
    let width = if insee.starts_with("97") || insee.starts_with("98") {
        3
    } else {
        2
    };
    Some(&insee[..width])
}

/// The name of a département code.
pub fn departement_name(code: &str) -> Option<&'static str> {
    DEPARTEMENTS
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .map(|i| DEPARTEMENTS[i].1)
}
