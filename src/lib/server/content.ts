/**
 * The content packs, validated and grounded at build time by the content Vite plugin. Server
 * code reads packs from here; pages receive what they need through their load functions.
 */
import { packs } from 'virtual:causeway/packs';
import type { Pack } from '$lib/content/pack';

/** Every pack, in folder order. */
export function allPacks(): readonly Pack[] {
	return packs;
}

/** The pack with this id, or undefined. */
export function findPack(id: string): Pack | undefined {
	return packs.find((pack) => pack.id === id);
}
