/**
 * Where answer keys may live. `client` (the default) sends the self-study page the whole pack so
 * that it grades on the device, offline too; `server` sends only questions without their keys and
 * grades every answer on the server. Shared by the server, the page and the service worker.
 */

/** The header on a response whose body carries answer keys (the self-study page in client mode). */
export const ANSWER_KEYS_HEADER = 'x-causeway-answer-keys';

export const ANSWER_KEY_MODES = ['client', 'server'] as const;
export type AnswerKeyMode = (typeof ANSWER_KEY_MODES)[number];
