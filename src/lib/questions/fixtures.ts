/**
 * Every type's fixture, for the tests (never imported by the app). The `satisfies` clause makes
 * the compiler reject a list that misses a type of the registry.
 */
import { choiceFixture } from './choice/fixture.ts';
import { evidenceFixture } from './evidence/fixture.ts';
import { matchFixture } from './match/fixture.ts';
import { multiFixture } from './multi/fixture.ts';
import { numericFixture } from './numeric/fixture.ts';
import { orderFixture } from './order/fixture.ts';
import type { Fixture, QuestionType } from './registry.ts';
import { scenarioFixture } from './scenario/fixture.ts';
import { sourceFixture } from './source/fixture.ts';
import { truefalseFixture } from './truefalse/fixture.ts';

export const fixtures = {
	choice: choiceFixture,
	multi: multiFixture,
	order: orderFixture,
	match: matchFixture,
	numeric: numericFixture,
	evidence: evidenceFixture,
	source: sourceFixture,
	scenario: scenarioFixture,
	truefalse: truefalseFixture
} satisfies { [T in QuestionType]: Fixture<T> };
