/**
 * The CSV writer against a strict RFC 4180 reader written here: what is written parses back to
 * the same cells, line ends are CRLF, a UTF-8 byte-order mark comes first, and nothing a
 * spreadsheet would run as a formula survives as one.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/lib/csv-reader';
import { neutralise, toCsv } from './csv';

const BOM = '\uFEFF';
/**
 * What a spreadsheet reads as the start of a formula (OWASP's list), a DDE link or macro (`|`,
 * `%`), and the full-width signs that some spreadsheets fold to ASCII.
 */
const FORMULA_STARTS = ['=', '+', '-', '@', '|', '%', '\t', '\r', '＝', '＋', '－', '＠'];

/** The document without its byte-order mark, which must be there exactly once, first. */
function body(csv: string): string {
	expect(csv.startsWith(BOM)).toBe(true);
	expect(csv.slice(1)).not.toContain(BOM);
	return csv.slice(1);
}

describe('parseCsv (the reader the tests use)', () => {
	it('reads quoted fields, doubled quotes, commas and line breaks inside quotes', () => {
		expect(parseCsv('a,"b,c","d""e"\r\n"x\r\ny",,"z\n"\r\n')).toEqual([
			['a', 'b,c', 'd"e'],
			['x\r\ny', '', 'z\n']
		]);
	});

	it('refuses what RFC 4180 does not allow', () => {
		expect(() => parseCsv('a,b\n')).toThrow(/CRLF/);
		expect(() => parseCsv('a,b')).toThrow(/CRLF/);
		expect(() => parseCsv('a"b\r\n')).toThrow(/quote/);
		expect(() => parseCsv('"ab\r\n')).toThrow(/never closed/);
		expect(() => parseCsv('"a"b\r\n')).toThrow(/comma or CRLF/);
	});
});

describe('toCsv', () => {
	it('writes exactly a BOM, the header and the rows, comma-separated, each line ending in CRLF', () => {
		expect(
			toCsv(
				['name', 'points'],
				[
					['Ana', 10],
					['Ben, the second', -3]
				]
			)
		).toBe('\uFEFFname,points\r\nAna,10\r\n"Ben, the second",-3\r\n');
	});

	it('starts with the UTF-8 byte-order mark EF BB BF when encoded', () => {
		const bytes = Buffer.from(toCsv(['a'], [['b']]), 'utf8');
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(bytes.subarray(3).toString('utf8')).toBe('a\r\nb\r\n');
	});

	it('writes a header alone when there are no rows', () => {
		expect(toCsv(['session', 'participant'], [])).toBe('\uFEFFsession,participant\r\n');
	});

	it('parses back to the same cells: commas, quotes, CR, LF, CRLF, accents, emoji, empty cells', () => {
		const header = ['nickname', 'response', 'points', 'correct'];
		const rows: Array<Array<string | number | boolean | null | undefined>> = [
			['Zoë Ångström', 'Access to Mali\'s resources, above all its "minerals"', 10, true],
			['Ünal 🦊👩🏽‍🏫', 'line one\r\nline two', 0, false],
			['naïve café', 'only\nLF', 3.5, false],
			['x', 'ends in CR\r', 0, null],
			['"quoted"', '', 7, undefined],
			['a,b,c', ',', 0, true],
			['日本語のニックネーム', '""', 1, false]
		];
		const parsed = parseCsv(body(toCsv(header, rows)));
		expect(parsed).toEqual([
			header,
			['Zoë Ångström', 'Access to Mali\'s resources, above all its "minerals"', '10', 'true'],
			['Ünal 🦊👩🏽‍🏫', 'line one\r\nline two', '0', 'false'],
			['naïve café', 'only\nLF', '3.5', 'false'],
			['x', 'ends in CR\r', '0', ''],
			['"quoted"', '', '7', ''],
			['a,b,c', ',', '0', 'true'],
			['日本語のニックネーム', '""', '1', 'false']
		]);
	});

	it('keeps accents and emoji as the same code points (no mojibake, no escaping)', () => {
		const nickname = 'Zoë 🦊 Ñandú — “quoted” 👩🏽‍🏫';
		const csv = toCsv(['nickname'], [[nickname]]);
		expect(csv).toBe(`\uFEFFnickname\r\n${nickname}\r\n`);
		const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
			Buffer.from(csv, 'utf8')
		);
		expect(parseCsv(body(decoded))[1]).toEqual([nickname]);
	});

	describe('formula injection', () => {
		const nasty = [
			'=HYPERLINK("http://x","y")',
			'+SUM(A1)',
			'-1+1',
			'@cmd',
			'\tTAB',
			'\rCR',
			"|calc'!A0",
			'%0Acmd',
			'＝1+1',
			'＋SUM(A1)',
			'－1+1',
			'＠cmd',
			'<script>alert(1)</script>'
		];
		const csv = toCsv(['nickname'], [...nasty.map((n) => [n])]);
		const cells = parseCsv(body(csv))
			.slice(1)
			.map((r) => r[0]);

		it('neutralises each formula start with a leading apostrophe and leaves the rest as typed', () => {
			expect(cells).toEqual([
				'\'=HYPERLINK("http://x","y")',
				"'+SUM(A1)",
				"'-1+1",
				"'@cmd",
				"'\tTAB",
				"'\rCR",
				"'|calc'!A0",
				"'%0Acmd",
				"'＝1+1",
				"'＋SUM(A1)",
				"'－1+1",
				"'＠cmd",
				'<script>alert(1)</script>'
			]);
		});

		it('writes them byte for byte as expected (quotes doubled, CR quoted, <script> left alone)', () => {
			expect(csv).toBe(
				'\uFEFFnickname\r\n' +
					'"\'=HYPERLINK(""http://x"",""y"")"\r\n' +
					"'+SUM(A1)\r\n" +
					"'-1+1\r\n" +
					"'@cmd\r\n" +
					"'\tTAB\r\n" +
					'"\'\rCR"\r\n' +
					"'|calc'!A0\r\n" +
					"'%0Acmd\r\n" +
					"'＝1+1\r\n" +
					"'＋SUM(A1)\r\n" +
					"'－1+1\r\n" +
					"'＠cmd\r\n" +
					'<script>alert(1)</script>\r\n'
			);
		});

		it('leaves no cell that starts like a formula', () => {
			for (const cell of cells) {
				expect(
					FORMULA_STARTS.some((c) => cell!.startsWith(c)),
					JSON.stringify(cell)
				).toBe(false);
			}
		});

		it('neutralises the header too', () => {
			expect(parseCsv(body(toCsv(['=cmd', 'ok'], [])))).toEqual([["'=cmd", 'ok']]);
		});

		it('neutralises a formula in any column, not only the first', () => {
			expect(parseCsv(body(toCsv(['a', 'b', 'c'], [['ok', 7, '=1+1']])))[1]).toEqual([
				'ok',
				'7',
				"'=1+1"
			]);
		});
	});

	describe('numbers', () => {
		it('keeps a negative number a number: -3 is written -3', () => {
			const csv = toCsv(['points'], [[-3]]);
			expect(csv).toBe('\uFEFFpoints\r\n-3\r\n');
			expect(parseCsv(body(csv))[1]).toEqual(['-3']);
		});

		it('writes other numbers plainly, and nothing for NaN or ±Infinity', () => {
			expect(
				parseCsv(body(toCsv(['n'], [[0], [-0.5], [12.25], [NaN], [Infinity], [-Infinity]])))
			).toEqual([['n'], ['0'], ['-0.5'], ['12.25'], [''], [''], ['']]);
		});

		it('treats the text "-3" as text: it starts like a formula and is neutralised', () => {
			expect(parseCsv(body(toCsv(['t'], [['-3']])))[1]).toEqual(["'-3"]);
		});
	});

	it('parses back to neutralise(value) for many random cells (seeded)', () => {
		// A small deterministic generator, so a failure can be replayed.
		let seed = 20251;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const alphabet = [
			'a',
			'Z',
			' ',
			',',
			'"',
			'\r',
			'\n',
			'=',
			'+',
			'-',
			'@',
			'\t',
			'|',
			'%',
			'＝',
			'＋',
			'－',
			'＠',
			"'",
			'é',
			'🦊',
			';',
			'<'
		];
		const header = ['c1', 'c2', 'c3'];
		const rows = Array.from({ length: 300 }, () =>
			header.map(() =>
				Array.from(
					{ length: Math.floor(random() * 8) },
					() => alphabet[Math.floor(random() * alphabet.length)]
				).join('')
			)
		);
		const parsed = parseCsv(body(toCsv(header, rows)));
		expect(parsed).toHaveLength(rows.length + 1);
		expect(parsed.slice(1)).toEqual(rows.map((row) => row.map((v) => neutralise(v))));
		for (const cell of parsed.slice(1).flat())
			expect(
				FORMULA_STARTS.some((c) => cell.startsWith(c)),
				JSON.stringify(cell)
			).toBe(false);
	});
});

describe('neutralise', () => {
	it('maps each kind of value to its cell text', () => {
		expect(neutralise(null)).toBe('');
		expect(neutralise(undefined)).toBe('');
		expect(neutralise(true)).toBe('true');
		expect(neutralise(false)).toBe('false');
		expect(neutralise(-3)).toBe('-3');
		expect(neutralise('')).toBe('');
		expect(neutralise('plain')).toBe('plain');
		expect(neutralise("'=already")).toBe("'=already");
		expect(neutralise('a=b')).toBe('a=b');
	});
});
