/**
 * A question type is declared once, in its folder under src/lib/questions/, and the rest of the
 * app dispatches through the registry. This walks the application code outside that folder for
 * the ways a type check creeps back in: a comparison with a type's name, a `case` on it, or a
 * type narrowed by its literal name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES } from './registry';

const root = join(import.meta.dirname, '..', '..');
const questionsFolder = join(root, 'lib', 'questions');

/** Application files: not this folder, not tests, not test fixtures. */
function applicationFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return path === questionsFolder ? [] : applicationFiles(path);
		if (!/\.(ts|svelte)$/.test(entry.name) || /\.test\.ts$/.test(entry.name)) return [];
		if (entry.name === 'fixture.ts') return [];
		return [path];
	});
}

const names = QUESTION_TYPES.join('|');
const typeChecks = [
	new RegExp(`\\.type\\s*[!=]==?\\s*['"\`](${names})['"\`]`),
	new RegExp(`['"\`](${names})['"\`]\\s*[!=]==?\\s*[\\w.?]*\\.type\\b`),
	new RegExp(`case\\s+['"\`](${names})['"\`]\\s*:`),
	new RegExp(`QuestionOf<\\s*['"\`](${names})['"\`]\\s*>`)
];

/** Every line of application code that checks a question type by its name. */
function typeChecksIn(files: string[]): string[] {
	return files.flatMap((file) =>
		readFileSync(file, 'utf8')
			.split('\n')
			.flatMap((line, i) =>
				typeChecks.some((pattern) => pattern.test(line))
					? [`${relative(root, file)}:${i + 1}: ${line.trim()}`]
					: []
			)
	);
}

describe('question types are dispatched through the registry', () => {
	it('finds no type checked by name in the application code outside src/lib/questions/', () => {
		const files = applicationFiles(root);
		expect(files.length).toBeGreaterThan(50);
		expect(typeChecksIn(files)).toEqual([]);
	});

	it('would find one (the patterns catch the ways a check is written)', () => {
		const [type] = QUESTION_TYPES;
		const lines = [
			`if (question.type === '${type}') {`,
			`{#if q.type !== "${type}"}`,
			`case '${type}':`,
			`function f(q: QuestionOf<'${type}'>) {}`
		];
		for (const line of lines)
			expect(
				typeChecks.some((p) => p.test(line)),
				line
			).toBe(true);
	});
});
