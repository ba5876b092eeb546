/**
 * Serves the content packs to the app as the virtual module `virtual:causeway/packs`. The packs
 * are loaded and checked at build time, so bad content fails `vite build` with the file and field
 * named, and the browser receives only validated, located, plain data.
 */
import { relative, resolve, isAbsolute } from 'node:path';
import type { Plugin } from 'vite';
import { contentFiles, formatProblem, loadPacks, type LoadAllResult } from './loader.ts';

/** The id pages import the packs from. */
export const VIRTUAL_ID = 'virtual:causeway/packs';
/** The `\0` prefix tells other plugins this module has no file to transform. */
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

/** Options of {@link contentPlugin}. */
export interface ContentPluginOptions {
	/** The folder holding one subfolder per pack, resolved against the Vite root. Default: env `CONTENT_DIR`, else `content`. */
	dir?: string;
}

/** The error a failed content check throws: its message lists every problem, one per line. */
export function contentError(result: LoadAllResult): Error {
	const count = result.problems.length;
	const lines = result.problems.map((p) => `  ${formatProblem(p)}`);
	return new Error(
		`Content check failed (${count} problem${count === 1 ? '' : 's'}):\n${lines.join('\n')}`
	);
}

function isInside(dir: string, file: string): boolean {
	const rel = relative(dir, file);
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The Vite plugin behind `virtual:causeway/packs`: `export const packs: Pack[]`. A build fails at
 * its start on any content problem; the dev server shows the problems as an error when the module
 * loads, and reloads the page when a content file changes.
 */
export function contentPlugin(options: ContentPluginOptions = {}): Plugin {
	let root = process.cwd();
	let command: 'build' | 'serve' = 'serve';
	let cached: LoadAllResult | undefined;
	const contentDir = () => resolve(root, options.dir ?? process.env.CONTENT_DIR ?? 'content');
	// Loading is synchronous and cheap, but the dev server would redo it on every request without a cache.
	const load = () => (cached ??= loadPacks(contentDir()));

	return {
		name: 'causeway-content',
		configResolved(config) {
			root = config.root;
			command = config.command;
		},
		buildStart() {
			cached = undefined;
			const result = load();
			if (result.problems.length === 0) return;
			if (command === 'build') throw contentError(result);
			// In dev, keep the server up so the author can fix the content and see the page recover.
			if (!process.env.VITEST) this.warn(contentError(result).message);
		},
		resolveId(id) {
			return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
		},
		load(id) {
			if (id !== RESOLVED_ID) return undefined;
			const dir = contentDir();
			// Watch mode rebuilds, and the dev server reloads, when any pack file changes or appears.
			this.addWatchFile(dir);
			for (const file of contentFiles(dir)) this.addWatchFile(file);
			const result = load();
			if (result.problems.length > 0) throw contentError(result);
			return `export const packs = ${JSON.stringify(result.packs)};\n`;
		},
		configureServer(server) {
			const dir = contentDir();
			// The content folder may lie outside the Vite root (CONTENT_DIR), where Vite does not watch.
			server.watcher.add(dir);
			const onChange = (file: string) => {
				if (!isInside(dir, file)) return;
				cached = undefined;
				let stale = false;
				for (const environment of Object.values(server.environments)) {
					const mod = environment.moduleGraph.getModuleById(RESOLVED_ID);
					if (mod) {
						environment.moduleGraph.invalidateModule(mod);
						stale = true;
					}
				}
				if (stale) server.ws.send({ type: 'full-reload' });
			};
			server.watcher.on('add', onChange);
			server.watcher.on('change', onChange);
			server.watcher.on('unlink', onChange);
		}
	};
}
