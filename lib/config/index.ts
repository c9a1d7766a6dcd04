export * from './config-error';
export * from './load';
export * from './naming';
export * from './rotation-jobs';
export * from './schema';
