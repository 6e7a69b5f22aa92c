// Pure rules of reminders: webhook signature, retry backoff, cancelability, the webhook body.
#include <gtest/gtest.h>

#include "modules/reminders/reminder_rules.hpp"
#include "modules/reminders/reminder_types.hpp"

using namespace netops::reminders;

TEST(ReminderSignature, IsTheHexHmacSha256OfTheBody) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(webhook_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(webhook_signature("Jefe", "what do ya want for nothing!"),
            webhook_signature("Jefe", "what do ya want for nothing?"));
  EXPECT_EQ(webhook_signature("", "").size(), 7u + 64u);
}

TEST(ReminderBackoff, DoublesFromTheBaseUpToTheCap) {
  EXPECT_EQ(retry_delay_ms(1, 100, 10000), 100);
  EXPECT_EQ(retry_delay_ms(2, 100, 10000), 200);
  EXPECT_EQ(retry_delay_ms(3, 100, 10000), 400);
  EXPECT_EQ(retry_delay_ms(7, 100, 10000), 6400);
  EXPECT_EQ(retry_delay_ms(8, 100, 10000), 10000);
  EXPECT_EQ(retry_delay_ms(1000, 30000, 3600000), 3600000);  // no overflow
  EXPECT_EQ(retry_delay_ms(0, 100, 10000), 100);
}

TEST(ReminderCancel, PendingFailedAndUnreadUiOnly) {
  EXPECT_TRUE(cancelable("pending", "webhook", false));
  EXPECT_TRUE(cancelable("pending", "ui", false));
  EXPECT_TRUE(cancelable("failed", "webhook", false));
  EXPECT_TRUE(cancelable("sent", "ui", false));
  EXPECT_FALSE(cancelable("sent", "ui", true));
  EXPECT_FALSE(cancelable("sent", "webhook", false));
  EXPECT_FALSE(cancelable("canceled", "ui", false));
}

TEST(ReminderStatus, Vocabulary) {
  for (auto* s : {"pending", "sent", "canceled", "failed"}) EXPECT_TRUE(valid_reminder_status(s)) << s;
  EXPECT_FALSE(valid_reminder_status("done"));
  EXPECT_TRUE(valid_reminder_type("warranty_expiring"));
  EXPECT_TRUE(valid_reminder_type("maintenance_due"));
  EXPECT_FALSE(valid_reminder_type("other"));
}

TEST(ReminderWebhookBody, CarriesTheIdTypeAssetAndDueDateButNoDeliveryState) {
  Reminder r;
  r.id = "11111111-1111-4111-8111-111111111111";
  r.type = "warranty_expiring";
  r.asset_id = "22222222-2222-4222-8222-222222222222";
  r.asset_code = "SW-1";
  r.status = "pending";
  r.channel = "webhook";
  r.due_at = "2026-12-20T00:00:00Z";
  r.created_at = "2026-12-02T10:00:00.5Z";
  auto first = webhook_body(r);
  r.attempts = 2;
  r.last_error = "HTTP 500";
  EXPECT_EQ(webhook_body(r), first);  // every attempt sends the same bytes
  EXPECT_EQ(first["dueDate"], "2026-12-20");
  EXPECT_EQ(first["event"], "reminder.warranty_expiring");
  EXPECT_EQ(first["assetCode"], "SW-1");
  auto api = to_json(r);
  EXPECT_EQ(api["attempts"], 2);
  EXPECT_EQ(api["lastError"], "HTTP 500");
  EXPECT_EQ(api["read"], false);
}
