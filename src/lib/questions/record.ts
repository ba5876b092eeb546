/** What valibot's `record` lets through but a response keyed by ids must not. */
import * as v from 'valibot';
import { invalid, type Grade } from './kind.ts';

/** Keys valibot's `record` drops without a word; in a match or scenario response they are strays. */
const DROPPED_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Refuses an array (valibot's `record` takes it for an object keyed "0", "1", …) and keys it
 * silently drops, which would let a complete pairing with a `__proto__` key beside it pass as right.
 */
export function refuseRecordShape(
	question: { id: string; type: string },
	response: unknown,
	schema: v.GenericSchema,
	stray: (key: string) => string
): Grade | undefined {
	if (Array.isArray(response)) {
		// `null` fails the record check itself, so the message is the schema's own.
		const { issues } = v.safeParse(schema, null);
		return invalid(`Response to ${question.id} (${question.type}) ${issues?.[0].message}.`);
	}
	if (typeof response !== 'object' || response === null) return undefined;
	const dropped = Object.keys(response).find((key) => DROPPED_KEYS.includes(key));
	return dropped === undefined ? undefined : invalid(stray(dropped));
}
