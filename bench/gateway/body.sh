#!/usr/bin/env bash
# body.sh MODEL STREAM(true|false): prints a ~1 KB OpenAI chat body (system prompt + user question).
set -euo pipefail
model="$1" stream="$2"
question="Our core switch sw-core-01 (VLAN 120, uplink Te1/0/48) shows CRC errors and input drops since the \
firmware upgrade last night. Interfaces Gi1/0/1 to Gi1/0/24 serve the third-floor access layer; users report \
intermittent packet loss when they join video calls. The optic on Te1/0/48 is a 10GBASE-LR module from a \
third-party vendor, and the peer is a distribution router in the data centre about 6 km away. We already \
reseated the optic and cleaned the fibre. Which counters should we look at next, what thresholds indicate \
a failing transceiver rather than a duplex or MTU mismatch, and which commands collect the evidence we \
need before we open a case with the vendor? Keep the answer short and ordered by likelihood."
printf '{"model":"%s","stream":%s,"max_tokens":400,"temperature":0.2,"messages":[{"role":"system","content":"You are a senior network engineer. Answer precisely."},{"role":"user","content":"%s"}]}' \
  "$model" "$stream" "$question"
