// One attacker cluster of the fleet as a STIX 2.1 bundle: a campaign and the intrusion set behind it, an
// indicator per address, agent and webshell (with its pattern), the CVEs it targeted, and a sighting of the
// campaign at each victim (an identity: an organisation, or a server of the caller's organisation).

import { bundleOf, exhuntId, patternOf, toolIdentity } from './stix.js';
import type { StixObject } from './stix.js';

export interface CampaignExport {
  /** The cluster's id in the fleet, and the fleet's view (`fleet` or the tenant's name) for unique ids. */
  id: number;
  view: string;
  firstSeen: string;
  lastSeen: string;
  stages: string[];
  cves: string[];
  indicators: {
    kind: 'ip' | 'user-agent' | 'webshell-name' | 'webshell-hash';
    value: string;
    firstSeen: string;
  }[];
  victims: {
    kind: 'organisation' | 'server';
    name: string;
    firstSeen: string;
    lastSeen: string;
    verdict: string | null;
  }[];
}

/** The scan export's indicator types for the fleet's kinds. */
const TYPE_OF = {
  ip: 'ip',
  'user-agent': 'user-agent',
  'webshell-name': 'filename',
  'webshell-hash': 'sha256',
};

/** Ids are UUIDv5 over content and times come from the data: the same cluster always gives the same bundle. */
export function campaignStixBundle(c: CampaignExport): object {
  const tool = toolIdentity();
  const base = (type: string, name: string, created: string): StixObject => ({
    type,
    spec_version: '2.1',
    id: exhuntId(type, name),
    created_by_ref: tool.id,
    created,
    modified: c.lastSeen,
  });
  const key = `campaign\0${c.view}\0${c.id}`;
  const head = c.indicators[0];
  const label = `exhunt cluster ${c.id}${head ? ` (${head.value.slice(0, 80)})` : ''}`;
  const objects: StixObject[] = [tool];
  const campaign: StixObject = {
    ...base('campaign', key, c.firstSeen),
    name: label,
    description:
      `Indicators used together in attacker sessions on ${c.victims.length} victim(s) of one fleet of ` +
      `Exchange servers. Stages: ${c.stages.join(', ') || 'none recorded'}. CVEs: ${c.cves.join(', ') || 'none recorded'}.`,
    first_seen: c.firstSeen,
    last_seen: c.lastSeen,
  };
  const set: StixObject = {
    ...base('intrusion-set', `${key}\0intrusion-set`, c.firstSeen),
    name: `Actor behind ${label}`,
    description: 'The unnamed actor of the campaign, as exhunt grouped its indicators.',
    first_seen: c.firstSeen,
    last_seen: c.lastSeen,
  };
  objects.push(campaign, set);
  const rel = (type: string, source: string, target: string) =>
    objects.push({
      ...base('relationship', `${type}\0${source}\0${target}`, c.firstSeen),
      relationship_type: type,
      source_ref: source,
      target_ref: target,
    });
  rel('attributed-to', campaign.id, set.id);
  for (const i of c.indicators) {
    const type = TYPE_OF[i.kind];
    const ind: StixObject = {
      ...base('indicator', `indicator\0${type}\0${i.value}`, i.firstSeen),
      name: `${i.kind} ${i.value}`,
      indicator_types: ['malicious-activity'],
      pattern: patternOf(type, i.value),
      pattern_type: 'stix',
      valid_from: i.firstSeen,
    };
    objects.push(ind);
    rel('indicates', ind.id, campaign.id);
  }
  for (const cve of c.cves) {
    const v: StixObject = {
      ...base('vulnerability', `vulnerability\0${cve}`, c.firstSeen),
      name: cve,
      external_references: [{ source_name: 'cve', external_id: cve }],
    };
    objects.push(v);
    rel('targets', campaign.id, v.id);
  }
  for (const v of c.victims) {
    const who: StixObject = {
      ...base('identity', `${key}\0victim\0${v.kind}\0${v.name}`, v.firstSeen),
      name: v.name,
      identity_class: v.kind === 'organisation' ? 'organization' : 'system',
      ...(v.kind === 'server' ? { description: 'Exchange server' } : {}),
    };
    objects.push(who);
    objects.push({
      ...base('sighting', `${key}\0sighting\0${who.id}`, v.firstSeen),
      modified: v.lastSeen,
      first_seen: v.firstSeen,
      last_seen: v.lastSeen,
      count: 1,
      sighting_of_ref: campaign.id,
      where_sighted_refs: [who.id],
      ...(v.verdict ? { description: `latest verdict: ${v.verdict}` } : {}),
    });
  }
  return bundleOf(objects);
}
