/** Helpers for the content check's answer checks, shared by the types' `checkAnswer`. */
import type { AnswerCheck } from './kind.ts';

/** Ids as the content check prints them: `"a", "b"`. */
export function quotedIds(ids: readonly string[]): string {
	return ids.map((id) => JSON.stringify(id)).join(', ');
}

/** The same ids, in any order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((id) => b.includes(id));
}

/** `names no <what>: "x" is not among "a", "b"`. */
export function namesNo(what: string, id: string, known: readonly string[]): string {
	return `names no ${what}: ${JSON.stringify(id)} is not among ${quotedIds(known)}`;
}

/** Reports `path` when `id` is not one of `known`. */
export function checkOne(
	check: AnswerCheck,
	path: string,
	id: string,
	known: readonly string[],
	what: string
): void {
	if (!known.includes(id)) check.add(path, namesNo(what, id, known));
}

/** Reports `path[k]` for each of `ids` that is not one of `known`. */
export function checkEach(
	check: AnswerCheck,
	path: string,
	ids: readonly string[],
	known: readonly string[],
	what: string
): void {
	ids.forEach((id, k) => checkOne(check, `${path}[${k}]`, id, known, what));
}
