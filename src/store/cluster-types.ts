// The shapes of the attacker-cluster model (aggregates per cluster, indicator and victim), apart from the code
// that builds them so that the model and the store's cluster state can both name them without an import cycle.

import type { Noise } from './noise.js';
import type { IndicatorKind } from './schema.js';

export interface ClusterSettings {
  /** Fewest servers at which two indicators shared a session for them to link (default 1). */
  minWeight: number;
  /** Addresses and agents seen at this many organisations or more are background noise (default 10). */
  widespreadOrgs: number;
}

/** Where an indicator or cluster was seen: an organisation (administrators) or a server (tenants). */
export interface VictimAgg {
  first: string;
  last: string;
  stages: Set<string>;
  /** The servers behind the victim (one for a server). */
  servers: Set<number>;
}

export interface IndicatorAgg {
  id: number;
  kind: IndicatorKind;
  value: string;
  victims: Set<number>;
  first: string;
  last: string;
}

export interface ClusterAgg {
  id: number;
  indicators: IndicatorAgg[];
  victims: Map<number, VictimAgg>;
  first: string;
  last: string;
  stages: Set<string>;
  cves: Set<string>;
  sessions: number;
}

export interface NoiseAgg extends IndicatorAgg {
  noise: Noise;
}

export interface ClusterState {
  victimKind: 'organisation' | 'server';
  clusters: ClusterAgg[];
  /** Any member indicator's id → its cluster's id. */
  clusterOf: Map<number, number>;
  byId: Map<number, ClusterAgg>;
  noise: NoiseAgg[];
}
