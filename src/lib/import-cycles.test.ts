/**
 * No import cycles in src/: a module's imports must form a tree of jobs, so that each can be read,
 * tested and loaded without the others half-initialised. Walks every .ts and .svelte file's
 * imports (type-only ones too: a cycle of types is still two modules that need each other) and
 * fails naming each cycle it finds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..');
const LIB = join(SRC, 'lib');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
	});
}

/** `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`. */
const IMPORT =
	/(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The file an import names inside src/, or undefined for a package or a SvelteKit alias. */
function resolveImport(from: string, specifier: string): string | undefined {
	const base = specifier.startsWith('$lib/')
		? join(LIB, specifier.slice('$lib/'.length))
		: specifier === '$lib'
			? LIB
			: specifier.startsWith('.')
				? resolve(dirname(from), specifier)
				: undefined;
	if (!base) return undefined;
	const candidates = [
		base,
		`${base}.ts`,
		`${base.replace(/\.js$/, '')}.ts`,
		join(base, 'index.ts')
	];
	return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

function importGraph(files: readonly string[]): Map<string, string[]> {
	return new Map(
		files.map((file) => {
			const text = readFileSync(file, 'utf8');
			const targets = [...text.matchAll(IMPORT)]
				.map((m) => resolveImport(file, m[1] ?? m[2] ?? ''))
				.filter((target): target is string => target !== undefined);
			return [file, [...new Set(targets)]];
		})
	);
}

/** The graph's strongly connected components of more than one module, or of one importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
	// Tarjan's algorithm.
	let next = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string) => {
		index.set(node, next);
		low.set(node, next);
		next += 1;
		stack.push(node);
		onStack.add(node);
		for (const target of graph.get(node) ?? []) {
			if (!index.has(target)) {
				visit(target);
				low.set(node, Math.min(low.get(node)!, low.get(target)!));
			} else if (onStack.has(target)) {
				low.set(node, Math.min(low.get(node)!, index.get(target)!));
			}
		}
		if (low.get(node) !== index.get(node)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
		} while (member !== node);
		if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component);
	};
	for (const node of graph.keys()) if (!index.has(node)) visit(node);
	return found;
}

describe('imports in src/', () => {
	const files = sourceFiles(SRC);
	const graph = importGraph(files);

	it('are read: the walk finds the modules and their imports', () => {
		// Guards the walk itself: a pattern that matched nothing would find no cycle anywhere.
		const service = join(LIB, 'server', 'classroom.ts');
		expect(graph.get(service)).toContain(join(LIB, 'server', 'session-store.ts'));
		expect(
			cycles(
				new Map([
					['a', ['b']],
					['b', ['c']],
					['c', ['a']]
				])
			)
		).toHaveLength(1);
	});

	it('form no cycle', () => {
		const named = cycles(graph).map((component) =>
			component.map((file) => relative(SRC, file)).join(' ⇄ ')
		);
		expect(named).toEqual([]);
	});
});
