/**
 * CSV for spreadsheet programs: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so
 * that accents survive Excel, and cells that a spreadsheet would run as a formula neutralised.
 */

/**
 * Characters that make a spreadsheet read a cell as a formula (or, `|` and `%`, as a DDE link or a
 * macro) when they start it. Tab and CR hide one of those behind white space that a spreadsheet
 * drops; the full-width forms are folded to the ASCII ones by some spreadsheets, Japanese and
 * Chinese Excel among them.
 */
const FORMULA_STARTS = [
	'=',
	'+',
	'-',
	'@',
	'|',
	'%',
	'\t',
	'\r',
	'\uFF1D',
	'\uFF0B',
	'\uFF0D',
	'\uFF20'
];

/**
 * A cell's text, safe to open in a spreadsheet: one that starts like a formula gets a leading
 * apostrophe, which spreadsheets show as text and do not evaluate (OWASP's advice). Numbers stay
 * numbers: a negative number is data, not a formula.
 */
export function neutralise(value: string | number | boolean | null | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	return FORMULA_STARTS.some((c) => value.startsWith(c)) ? `'${value}` : value;
}

/** One cell, quoted when it holds a comma, a quote or a line break. */
function cell(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line of CSV, without its line end. */
export function csvLine(
	values: ReadonlyArray<string | number | boolean | null | undefined>
): string {
	return values.map((v) => cell(neutralise(v))).join(',');
}

/** The CSV document's lines, each with its CRLF, the byte-order mark before the header. */
export function* csvPieces(
	header: readonly string[],
	rows: Iterable<ReadonlyArray<string | number | boolean | null | undefined>>
): Generator<string> {
	yield `\uFEFF${csvLine(header)}\r\n`;
	for (const row of rows) yield `${csvLine(row)}\r\n`;
}

/** A CSV document with a header row, a byte-order mark and CRLF line ends. */
export function toCsv(
	header: readonly string[],
	rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>
): string {
	return [...csvPieces(header, rows)].join('');
}
