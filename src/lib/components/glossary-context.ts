/**
 * The pack's glossary, handed down by the player (self-study or class) to every `Glossed` text
 * below it, so that the components in between need no extra prop. Without a provider, text
 * shows plain.
 */
import { getContext, setContext } from 'svelte';
import type { GlossaryEntry } from '$lib/content/schema';

const KEY = Symbol('glossary');

export function provideGlossary(entries: readonly GlossaryEntry[]): void {
	setContext(KEY, entries);
}

export function glossaryInContext(): readonly GlossaryEntry[] {
	return getContext<readonly GlossaryEntry[] | undefined>(KEY) ?? [];
}
