// OWASP ZAP XML report (the "Traditional XML" template): <OWASPZAPReport version=…><site name=…><alerts>
// <alertitem>…</alertitem>. Each <alertitem> is built and mapped as soon as it closes.
import type { FormatParserFactory } from '../draft.ts';
import { XmlWalker, child, childText, childrenNamed } from '../parse/xml-walk.ts';
import type { XmlElement } from '../parse/xml-walk.ts';
import { wrongFormat } from './wrong-format.ts';
import { zapDrafts } from './zap-alert.ts';
import type { ZapAlert } from './zap-alert.ts';

const ROOT = 'OWASPZAPReport';

export const zapXml: FormatParserFactory = (context, sink) => {
  const walker = new XmlWalker({
    collect: (name) => name === 'alertitem',
    onElement: (el, ancestors) => {
      const root = ancestors[0];
      const site = ancestors.find((a) => a.name === 'site');
      const scanner = { name: 'zap', version: root?.attrs['version'] ?? context.scanner.version };
      for (const d of zapDrafts(alertOf(el), { name: site?.attrs['name'] ?? null }, scanner)) sink(d);
    },
  });
  const check = () => {
    if (walker.rootName !== null && walker.rootName !== ROOT) throw wrongFormat('zap-xml', `root <${walker.rootName}>`);
  };
  return {
    write: (chunk) => {
      walker.write(chunk);
      check();
    },
    end: () => {
      walker.end();
      check();
    },
  };
};

function alertOf(el: XmlElement): ZapAlert {
  const instances = child(el, 'instances');
  return {
    pluginid: childText(el, 'pluginid'),
    alertRef: childText(el, 'alertRef'),
    name: childText(el, 'name') ?? childText(el, 'alert'),
    riskcode: childText(el, 'riskcode'),
    confidence: childText(el, 'confidence'),
    riskdesc: childText(el, 'riskdesc'),
    desc: childText(el, 'desc'),
    solution: childText(el, 'solution'),
    reference: childText(el, 'reference'),
    otherinfo: childText(el, 'otherinfo'),
    cweid: childText(el, 'cweid'),
    instances: (instances ? childrenNamed(instances, 'instance') : []).map((i) => ({
      uri: childText(i, 'uri'),
      method: childText(i, 'method'),
      param: childText(i, 'param'),
      evidence: childText(i, 'evidence'),
    })),
  };
}
