export { Job, type JobDeps } from './job.ts';
export { jobSettings, jobConfig, loadJobConfig, type JobConfig } from './config.ts';
