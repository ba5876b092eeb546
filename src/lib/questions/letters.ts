/**
 * The letter of an option, the one lettering the projector and the phones share, so that a
 * teacher can say "most of you picked C" and every phone agrees: A to Z, then AA, AB… as CSS's
 * `upper-alpha` counts.
 */
export function optionLetter(index: number): string {
	let letters = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
	return letters;
}
