export { Job, type JobDeps } from './job.ts';
export { loadJobConfig, type JobConfig } from './config.ts';
