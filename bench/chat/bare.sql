-- Prints the OpenAI body a chat turn sends for a seeded conversation (bench/chat/seed.sql with :messages
-- messages) plus the new question: what POST /v1/chat/completions gets in the comparison.
\set ON_ERROR_STOP on
SELECT json_build_object('model', 'mock/echo', 'messages',
  (SELECT json_agg(json_build_object('role', CASE WHEN i % 2 = 1 THEN 'user' ELSE 'assistant' END, 'content',
     'Message ' || i || ' of the incident thread: interface Gi1/0/' || i || ' on sw-core-01 logged input errors and '
       || 'CRC drops after the firmware upgrade; the optic was reseated, the fibre cleaned, counters cleared at 02:00 '
       || 'and the errors came back within ten minutes, mostly during video calls from the third floor.') ORDER BY i)
   FROM generate_series(1, :messages) AS i)::jsonb
  || jsonb_build_array(json_build_object('role', 'user', 'content',
       'Which counters show a failing optic on Te1/0/48, and what thresholds point to the transceiver rather than '
       || 'a duplex or MTU mismatch? Keep it short.')));
