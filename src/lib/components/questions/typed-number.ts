/**
 * Reads a number as a learner types it: digits, an optional minus, spaces or commas between
 * thousands ("10,000", "2 000"), and a decimal point or a lone decimal comma ("1.5", "1,5").
 * Anything else ("ten", "0x10", "1e3", ",") is not a number here.
 */
export function parseTypedNumber(text: string): number | undefined {
	const compact = text.trim().replace(/\s+/g, '');
	let plain: string;
	if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) plain = compact.replace(/,/g, '');
	else if (/^-?\d+,\d+$/.test(compact)) plain = compact.replace(',', '.');
	else plain = compact;
	return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : undefined;
}
