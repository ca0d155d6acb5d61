export * from './schema.js';
export * from './sql.js';
export * from './filters.js';
export * from './module.js';
export * from './rounding.js';
export * from './modules/index.js';
export * from './default-view.js';
export * from './storage.js';
