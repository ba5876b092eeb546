// adapter-node, whose `node build` also opens the front door: the participants' answers served
// before SvelteKit (src/lib/server/front-door.ts, and why there). adapter-node writes its server
// to build/index.js; it is kept as build/adapter-node.js, and build/index.js becomes entry.js,
// which starts it and puts the front door before its request handler.
import { copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import nodeAdapter from '@sveltejs/adapter-node';

/** @param {import('@sveltejs/adapter-node').AdapterOptions} [options] */
export default function adapter(options = {}) {
	const node = nodeAdapter(options);
	return {
		...node,
		name: 'causeway-node',
		/** @param {import('@sveltejs/kit').Builder} builder */
		async adapt(builder) {
			await node.adapt(builder);
			const out = options.out ?? 'build';
			const server = readFileSync(`${out}/index.js`, 'utf8').replace(
				'//# sourceMappingURL=index.js.map',
				'//# sourceMappingURL=adapter-node.js.map'
			);
			writeFileSync(`${out}/adapter-node.js`, server);
			renameSync(`${out}/index.js.map`, `${out}/adapter-node.js.map`);
			rmSync(`${out}/index.js`);
			copyFileSync(new URL('./entry.js', import.meta.url), `${out}/index.js`);
		}
	};
}
