export * from './catalogue.js';
export * from './schemas.js';
export * from './client.js';
