import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Unknown API paths answer in the API's own format, a JSON message, whatever the method. */
const notFound: RequestHandler = ({ url }) =>
	json({ message: `There is no API at ${url.pathname}.` }, { status: 404 });

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
