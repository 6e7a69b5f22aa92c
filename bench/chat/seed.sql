-- Seeds :conversations conversations of :messages messages each (alternating user / assistant, ~300
-- characters, token counts as chat would store them) for the user :'user_id'; prints their ids.
\set ON_ERROR_STOP on
DELETE FROM conversations WHERE user_id = :'user_id' AND title = 'bench conversation';
WITH c AS (
  INSERT INTO conversations (user_id, title, model, message_count)
  SELECT :'user_id', 'bench conversation', 'mock/echo', :messages FROM generate_series(1, :conversations)
  RETURNING id
), m AS (
  INSERT INTO messages (conversation_id, role, content, model, provider, token_count, prompt_tokens, completion_tokens, cost)
  SELECT c.id, CASE WHEN i % 2 = 1 THEN 'user' ELSE 'assistant' END,
    'Message ' || i || ' of the incident thread: interface Gi1/0/' || i || ' on sw-core-01 logged input errors and '
      || 'CRC drops after the firmware upgrade; the optic was reseated, the fibre cleaned, counters cleared at 02:00 '
      || 'and the errors came back within ten minutes, mostly during video calls from the third floor.',
    CASE WHEN i % 2 = 0 THEN 'mock/echo' END, CASE WHEN i % 2 = 0 THEN 'mock' END, 75,
    CASE WHEN i % 2 = 0 THEN 1500 ELSE 0 END, CASE WHEN i % 2 = 0 THEN 75 ELSE 0 END,
    CASE WHEN i % 2 = 0 THEN 0.000150 END
  FROM c, generate_series(1, :messages) AS i
  ORDER BY c.id, i
  RETURNING conversation_id
)
SELECT DISTINCT conversation_id FROM m;
