export { type Cache, type CacheOptions, createCache, nextVietnamMidnight, remembered } from './cache.ts';
