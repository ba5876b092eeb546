/** Shared by the CSV unit tests and the export end-to-end tests. */

/**
 * A strict RFC 4180 reader: records end with CRLF (the last one too), a field is either quoted
 * (with `""` for a quote, and commas and line breaks inside allowed) or holds no quote, comma, CR
 * or LF at all. Anything else throws, so a sloppy writer cannot pass by accident.
 */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let i = 0;
	if (text === '') return rows;
	for (;;) {
		let field = '';
		if (text[i] === '"') {
			i += 1;
			for (;;) {
				if (i >= text.length) throw new Error('a quoted field is never closed');
				const c = text[i]!;
				if (c === '"') {
					if (text[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					i += 1;
					break;
				}
				field += c;
				i += 1;
			}
		} else {
			while (i < text.length && !',\r\n'.includes(text[i]!)) {
				if (text[i] === '"') throw new Error(`a quote inside an unquoted field at ${i}`);
				field += text[i];
				i += 1;
			}
		}
		row.push(field);
		if (text[i] === ',') {
			i += 1;
			continue;
		}
		if (text.startsWith('\r\n', i)) {
			rows.push(row);
			row = [];
			i += 2;
			if (i === text.length) return rows;
			continue;
		}
		throw new Error(
			`expected a comma or CRLF at ${i}, found ${i >= text.length ? 'the end' : JSON.stringify(text[i])}`
		);
	}
}
