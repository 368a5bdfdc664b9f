// `asmvs describe`: the stages and the topics between them, as the topology declares them.
export { describeTopology as describePipeline } from '../topology.ts';
