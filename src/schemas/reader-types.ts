// The avsc Type of each topic's reader schema (this build's .avsc), built once.
import avro from 'avsc';
import { schemaOf, type SchemaTopic } from './registry-files.ts';

const types = new Map<SchemaTopic, avro.Type>();

export function readerType(topic: SchemaTopic): avro.Type {
  let type = types.get(topic);
  if (!type) {
    type = avro.Type.forSchema(schemaOf(topic) as avro.Schema);
    types.set(topic, type);
  }
  return type;
}
