/**
 * @module surfaces/http
 * The gateway behind `airlock serve`, for embedding: `startGatewayServer` (socket, keys, app),
 * `createGateway` (the transport-free core), `createApp` (the Hono app), and the API-key helpers.
 * See docs/http-api.md and docs/dashboard.md.
 */
export { startGatewayServer, type GatewayServer, type ServerOptions } from './server.js';
export { createGateway, type ApprovalView, type Gateway, type GatewayOptions, type RunRecord, type SessionInfo } from './gateway.js';
export { createApp, type AppOptions } from './app.js';
export { addKeyToFile, createKeyRing, generateKey, hashKey, parseKeysEnv, readKeysFile, ROLES, type KeyRecord, type KeyRing, type Principal, type Role } from './keys.js';
export { buildOpenApi } from './openapi.js';
