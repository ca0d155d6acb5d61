export * from './action-dialog.component.js';
export { default } from './action-dialog.component.js';
