import type { Claim } from '$lib/content/schema';

/** How each kind of causal claim is named to learners. */
export const CLAIM_LABELS: Record<Claim, string> = {
	stated: 'Stated in the article',
	inferred: 'Inferred from the article',
	hypothetical: 'A possibility the article raises'
};
