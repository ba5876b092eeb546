// The article is reading matter: server-rendered, readable and linkable with JavaScript off.
export const csr = false;
