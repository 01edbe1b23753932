export { createScheduler, type JobDefinition, type JobState, type Scheduler } from './jobs.ts';
