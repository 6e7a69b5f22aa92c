// The official SDKs against the gateway, unchanged: run by tests/api/gateway_sdk_test.cpp with
// NETOPS_GATEWAY_URL (the gateway's origin) and NETOPS_KEY (an nk_ API key), against tools/mock-llm models
// mocka/* (OpenAI-compatible) and mockant/* (Anthropic). Prints "ok <check>" lines; exits 1 on the first
// failure with the reason.
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";

const base = process.env.NETOPS_GATEWAY_URL;
const key = process.env.NETOPS_KEY;
const anthropic = new Anthropic({ apiKey: key, baseURL: base, maxRetries: 0 });
const openai = new OpenAI({ apiKey: key, baseURL: base + "/v1", maxRetries: 0 });
const tool = {
  name: "get_weather",
  description: "Weather of a city",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

async function check(name, fn) {
  try {
    await fn();
    console.log("ok " + name);
  } catch (e) {
    console.log("FAIL " + name + ": " + (e && e.stack ? e.stack : e));
    process.exit(1);
  }
}

for (const model of ["mocka/echo", "mockant/echo"]) {
  await check(`anthropic messages.create ${model}`, async () => {
    const m = await anthropic.messages.create({
      model, max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "hello sdk" }],
    });
    assert.equal(m.type, "message");
    assert.equal(m.content[0].type, "text");
    assert.equal(m.content[0].text, "hello sdk");
    assert.equal(m.stop_reason, "end_turn");
    assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0);
  });
  await check(`anthropic messages.stream ${model}`, async () => {
    const stream = anthropic.messages.stream({
      model, max_tokens: 100, messages: [{ role: "user", content: "stream through the sdk" }],
    });
    let text = "";
    stream.on("text", (t) => { text += t; });
    const m = await stream.finalMessage();
    assert.equal(text, "stream through the sdk");
    assert.equal(m.content[0].text, "stream through the sdk");
    assert.equal(m.stop_reason, "end_turn");
    assert.ok(m.usage.output_tokens > 0);
  });
}
for (const model of ["mocka/tools", "mockant/tools"]) {
  await check(`anthropic tool use ${model}`, async () => {
    const m = await anthropic.messages.create({
      model, max_tokens: 200, tools: [tool], messages: [{ role: "user", content: "weather?" }],
    });
    assert.equal(m.stop_reason, "tool_use");
    const call = m.content.find((b) => b.type === "tool_use");
    assert.deepEqual(call.input, { city: "example" });
    const stream = anthropic.messages.stream({
      model, max_tokens: 200, tools: [tool], messages: [{ role: "user", content: "weather?" }],
    });
    const sm = await stream.finalMessage();
    const scall = sm.content.find((b) => b.type === "tool_use");
    assert.deepEqual(scall.input, { city: "example" });
    const m2 = await anthropic.messages.create({
      model, max_tokens: 200, tools: [tool],
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: m.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "sunny" }] },
      ],
    });
    assert.equal(m2.content[0].text, "Tool result: sunny");
  });
}
await check("anthropic countTokens", async () => {
  const n = await anthropic.messages.countTokens({ model: "mocka/echo", messages: [{ role: "user", content: "count me" }] });
  assert.equal(n.input_tokens, 5);
});
await check("anthropic errors", async () => {
  await assert.rejects(
    anthropic.messages.create({ model: "nosuch/model", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
    (e) => e instanceof Anthropic.NotFoundError && e.error?.error?.type === "not_found_error",
  );
  const bad = new Anthropic({ apiKey: "nk_wrong", baseURL: base, maxRetries: 0 });
  await assert.rejects(
    bad.messages.create({ model: "mocka/echo", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
    (e) => e instanceof Anthropic.AuthenticationError,
  );
});
await check("openai chat.completions", async () => {
  const c = await openai.chat.completions.create({ model: "mocka/echo", messages: [{ role: "user", content: "hi openai" }] });
  assert.equal(c.choices[0].message.content, "hi openai");
  const s = await openai.chat.completions.create({
    model: "mockant/echo", stream: true, messages: [{ role: "user", content: "stream openai" }],
  });
  let text = "";
  for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? "";
  assert.equal(text, "stream openai");
});
await check("models list and retrieve (both SDKs; ids with '/' sent URL-encoded)", async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  assert.ok(ids.includes("mocka/echo") && ids.includes("mockant/echo"), ids.join(","));
  const o = await openai.models.retrieve("mocka/echo");
  assert.equal(o.id, "mocka/echo");
  assert.equal(o.object, "model");
  const listed = [];
  for await (const m of anthropic.models.list()) listed.push(m);
  const e = listed.find((m) => m.id === "mockant/echo");
  assert.ok(e && e.type === "model" && typeof e.display_name === "string", JSON.stringify(e));
  assert.ok(!Number.isNaN(Date.parse(e.created_at)), e.created_at);
  const r = await anthropic.models.retrieve("mockant/echo");
  assert.equal(r.id, "mockant/echo");
  assert.equal(r.type, "model");
  await assert.rejects(anthropic.models.retrieve("nosuch/model"), (err) => err.status === 404);
});

await check("openai embeddings (base64 by default, decoded by the SDK)", async () => {
  const e = await openai.embeddings.create({ model: "mocka/embed", input: ["one", "two"] });
  assert.equal(e.data.length, 2);
  assert.equal(e.data[0].embedding.length, 8);
  assert.ok(e.usage.prompt_tokens > 0);
  const f = await openai.embeddings.create({ model: "mocka/embed", input: "one", encoding_format: "float", dimensions: 4 });
  assert.equal(f.data[0].embedding.length, 4);
  const norm = Math.hypot(...e.data[0].embedding);
  assert.ok(Math.abs(norm - 1) < 1e-4);
});
console.log("all ok");
