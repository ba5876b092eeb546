// `node build`: adapter-node's server, with the front door before SvelteKit (see index.js here).
// Importing adapter-node.js starts the server; SvelteKit's `init` hook has run by then (the
// handler awaits it before the server listens) and has made the front door known.
import { server } from './adapter-node.js';

const frontDoor = globalThis[Symbol.for('causeway.front-door')];
if (typeof frontDoor !== 'function' || typeof server.handler !== 'function') {
	// A build whose server cannot be wrapped must not start as if it had been.
	throw new Error('Causeway cannot start: the front door or adapter-node`s handler is missing.');
}
// Polka, adapter-node's router, looks its `handler` up on every request.
const svelteKit = server.handler;
server.handler = (req, res, info) => frontDoor(req, res, () => svelteKit(req, res, info));

export * from './adapter-node.js';
