//! Plain-text tables for people.

/// `rows` under `header` in columns separated by two spaces, the first `left` columns
/// left-aligned, the rest right-aligned (numbers); a rule under the header.
pub fn render<const N: usize>(header: &[String; N], rows: &[[String; N]], left: usize) -> String {
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String; N]| {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, w))| if i < left { format!("{cell:<w$}") } else { format!("{cell:>w$}") })
            .collect();
        format!("{}\n", cells.join("  ").trim_end())
    };
    let mut out = line(header);
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (N - 1)));
    out.push('\n');
    rows.iter().for_each(|row| out.push_str(&line(row)));
    out
}

/// `(label, value)` pairs as two aligned columns, one pair a line.
pub fn pairs(rows: &[(&str, String)]) -> String {
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0);
    rows.iter().map(|(label, value)| format!("{label:<width$}  {value}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_aligned() {
        let header = ["name".to_string(), "n".to_string()];
        let rows = [["a".to_string(), "10".to_string()], ["long".to_string(), "2".to_string()]];
        assert_eq!(render(&header, &rows, 1), "name   n\n--------\na     10\nlong   2\n");
        assert_eq!(pairs(&[("a", "1".into()), ("bcd", "2".into())]), "a    1\nbcd  2\n");
    }
}
