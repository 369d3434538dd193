// The fleet database's migration level, for `exhunt --version`: the store's migration list without the
// server's own modules (Fastify, drivers), so printing the version stays quick.

export { migrationLevel } from '../store/migrations/index.js';
