/**
 * Every reply the bot sends, rendered to Discord's limits: `escape` (untrusted text made inert), `reply`
 * (message bodies and embed fitting), then one module per command's view.
 */
export * from './escape';
export * from './reply';
export * from './answer';
export * from './choices';
export * from './help';
export * from './insights';
export * from './reload';
export * from './source-change';
export * from './sources';
export * from './summary';
