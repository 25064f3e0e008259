/*
 * Token lifecycle, PINs, login rules, sessions and objects, through the
 * module's function list as applications use it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PIN(s) (CK_UTF8CHAR_PTR)(s), strlen(s)

static int
setup(void **state)
{
    (void)state;
    th_setup("max_pin_attempts = 3\n");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_teardown();
    return 0;
}

static void
test_empty_slot_and_init(void **state)
{
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    CK_ULONG before;
    CK_SESSION_HANDLE s;
    CK_TOKEN_INFO ti;
    CK_SLOT_ID slot;
    CK_UTF8CHAR label[32];

    (void)state;
    slot = th_init_and_empty_slot();
    assert_int_equal(th.f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
    before = n;
    assert_int_equal(th.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s),
                     CKR_TOKEN_NOT_RECOGNIZED);
    assert_int_equal(th_token_flags(slot) & CKF_TOKEN_INITIALIZED, 0);

    memset(label, ' ', sizeof(label));
    memcpy(label, "first", 5);
    assert_int_equal(th.f->C_InitToken(slot, PIN("12"), label), CKR_PIN_LEN_RANGE);
    assert_int_equal(th.f->C_InitToken(slot, PIN(TH_SO_PIN), label), CKR_OK);
    assert_int_equal(th.f->C_GetTokenInfo(slot, &ti), CKR_OK);
    assert_true(ti.flags & CKF_TOKEN_INITIALIZED);
    assert_false(ti.flags & CKF_USER_PIN_INITIALIZED);
    assert_true(ti.flags & CKF_RNG);
    assert_true(ti.flags & CKF_LOGIN_REQUIRED);
    assert_memory_equal(ti.label, label, 32);
    for (size_t i = 0; i < sizeof(ti.serialNumber); i++) {
        assert_int_not_equal(ti.serialNumber[i], 0);
    }

    /* A new uninitialised slot appears for the next token. */
    n = 16;
    assert_int_equal(th.f->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
    assert_int_equal(n, before + 1);
}

static void
test_login_rules(void **state)
{
    CK_SLOT_ID slot = th_make_token("login");
    CK_SESSION_HANDLE ro;
    CK_SESSION_HANDLE rw;
    CK_SESSION_INFO si;

    (void)state;
    ro = th_open(slot, 0);
    rw = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(rw, CKU_SO, PIN(TH_SO_PIN)), CKR_SESSION_READ_ONLY_EXISTS);
    assert_int_equal(th.f->C_Login(ro, 77, PIN(TH_USER_PIN)), CKR_USER_TYPE_INVALID);
    assert_int_equal(th.f->C_Logout(ro), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(th.f->C_Login(ro, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th.f->C_Login(rw, CKU_USER, PIN(TH_USER_PIN)), CKR_USER_ALREADY_LOGGED_IN);
    assert_int_equal(th.f->C_Login(rw, CKU_SO, PIN(TH_SO_PIN)),
                     CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    /* Login belongs to the application: both sessions see it. */
    assert_int_equal(th.f->C_GetSessionInfo(ro, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RO_USER_FUNCTIONS);
    assert_int_equal(th.f->C_GetSessionInfo(rw, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RW_USER_FUNCTIONS);
    /* Logout in one logs out all. */
    assert_int_equal(th.f->C_Logout(rw), CKR_OK);
    assert_int_equal(th.f->C_GetSessionInfo(ro, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RO_PUBLIC_SESSION);

    /* SO with a read-write session: no read-only session may open. */
    assert_int_equal(th.f->C_CloseSession(ro), CKR_OK);
    assert_int_equal(th.f->C_Login(rw, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    assert_int_equal(th.f->C_GetSessionInfo(rw, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RW_SO_FUNCTIONS);
    assert_int_equal(th.f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                     CKR_SESSION_READ_WRITE_SO_EXISTS);
    assert_int_equal(th.f->C_OpenSession(slot, CKF_RW_SESSION, NULL, NULL, &ro),
                     CKR_SESSION_PARALLEL_NOT_SUPPORTED);

    /* Closing the last session logs out. */
    assert_int_equal(th.f->C_CloseSession(rw), CKR_OK);
    rw = th_open(slot, 1);
    assert_int_equal(th.f->C_GetSessionInfo(rw, &si), CKR_OK);
    assert_int_equal(si.state, CKS_RW_PUBLIC_SESSION);
    assert_int_equal(th.f->C_CloseAllSessions(slot), CKR_OK);
    assert_int_equal(th.f->C_GetSessionInfo(rw, &si), CKR_SESSION_HANDLE_INVALID);
}

static void
test_pin_lockout(void **state)
{
    CK_SLOT_ID slot = th_make_token("lockout");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_FLAGS f;

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("wrong-pin")), CKR_PIN_INCORRECT);
    f = th_token_flags(slot);
    assert_true(f & CKF_USER_PIN_COUNT_LOW);
    assert_false(f & CKF_USER_PIN_FINAL_TRY);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("wrong-pin")), CKR_PIN_INCORRECT);
    assert_true(th_token_flags(slot) & CKF_USER_PIN_FINAL_TRY);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("wrong-pin")), CKR_PIN_INCORRECT);
    f = th_token_flags(slot);
    assert_true(f & CKF_USER_PIN_LOCKED);
    /* Locked: even the right PIN is refused. */
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_LOCKED);

    /* The SO's C_InitPIN unlocks the user. */
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    assert_int_equal(th.f->C_InitPIN(s, PIN("new-user-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    f = th_token_flags(slot);
    assert_false(f & (CKF_USER_PIN_LOCKED | CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY));
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("new-user-pin")), CKR_OK);

    /* A correct PIN resets the counter. */
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("wrong-pin")), CKR_PIN_INCORRECT);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("new-user-pin")), CKR_OK);
    assert_false(th_token_flags(slot) & CKF_USER_PIN_COUNT_LOW);

    /* SO lockout too. */
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(th.f->C_Login(s, CKU_SO, PIN("bad-so-pin")), CKR_PIN_INCORRECT);
    }
    assert_true(th_token_flags(slot) & CKF_SO_PIN_LOCKED);
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN(TH_SO_PIN)), CKR_PIN_LOCKED);
}

static void
test_set_pin(void **state)
{
    CK_SLOT_ID slot = th_make_token("setpin");
    CK_SESSION_HANDLE ro = th_open(slot, 0);
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_RV rv;

    (void)state;
    assert_int_equal(th.f->C_SetPIN(ro, PIN(TH_USER_PIN), PIN("another-pin")),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(th.f->C_SetPIN(s, PIN(TH_USER_PIN), PIN("abc")), CKR_PIN_LEN_RANGE);
    assert_int_equal(th.f->C_SetPIN(s, PIN("not-the-pin"), PIN("another-pin")),
                     CKR_PIN_INCORRECT);
    /* A private object survives the PIN change: only the key is rewrapped. */
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    th_data_object(s, "kept", "private value", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th.f->C_SetPIN(s, PIN(TH_USER_PIN), PIN("another-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_PIN_INCORRECT);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN("another-pin")), CKR_OK);
    assert_int_equal(th_count_label(s, "kept"), 1);
    assert_int_equal(th.f->C_CloseSession(ro), CKR_OK);
    /* The SO changes the SO PIN. */
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    assert_int_equal(th.f->C_SetPIN(s, PIN(TH_SO_PIN), PIN("new-so-pin")), CKR_OK);
    assert_int_equal(th.f->C_Logout(s), CKR_OK);
    assert_int_equal(th.f->C_Login(s, CKU_SO, PIN("new-so-pin")), CKR_OK);
}

static void
test_object_visibility(void **state)
{
    CK_SLOT_ID slot = th_make_token("objects");
    CK_SESSION_HANDLE ro = th_open(slot, 0);
    CK_SESSION_HANDLE rw = th_open(slot, 1);
    CK_SESSION_HANDLE other = th_open(slot, 0);
    CK_OBJECT_HANDLE h;
    CK_OBJECT_HANDLE ps;
    CK_RV rv;
    CK_OBJECT_CLASS data_class = CKO_DATA;
    CK_ATTRIBUTE data[] = {{CKA_CLASS, &data_class, sizeof(data_class)}};

    (void)state;
    /* Read-only sessions create session objects, not token objects. */
    th_data_object(ro, "tok", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_SESSION_READ_ONLY);
    th_data_object(ro, "sess", "v", CK_FALSE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    /* Private objects need the user. */
    th_data_object(rw, "priv", "v", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_USER_NOT_LOGGED_IN);
    th_data_object(rw, "pub", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);

    assert_int_equal(th.f->C_Login(rw, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    h = th_data_object(rw, "priv", "v", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    ps = th_data_object(rw, "priv-sess", "v", CK_FALSE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th_count(other, data, 1), 4);
    assert_int_equal(th_count_label(other, "sess"), 1);
    assert_int_equal(th.f->C_Logout(rw), CKR_OK);
    /* Logged out: the private object is invisible, its handle invalid. */
    assert_int_equal(th_count(other, data, 1), 2);
    assert_int_equal(th.f->C_DestroyObject(rw, h), CKR_OBJECT_HANDLE_INVALID);
    /* A private session object is destroyed by the logout: logging in
     * again does not bring it back [PKCS11 3.2 C_Logout]. */
    assert_int_equal(th.f->C_Login(rw, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th_count_label(rw, "priv-sess"), 0);
    assert_int_equal(th_count_label(rw, "priv"), 1);
    assert_int_equal(th.f->C_DestroyObject(rw, ps), CKR_OBJECT_HANDLE_INVALID);
    /* The private token object is back, under a new handle: the one from
     * before the logout stays invalid. */
    assert_int_equal(th.f->C_GetAttributeValue(rw, h, data, 1), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(th.f->C_Logout(rw), CKR_OK);
    /* The SO does not see private objects either. */
    assert_int_equal(th.f->C_CloseSession(ro), CKR_OK);
    assert_int_equal(th.f->C_CloseSession(other), CKR_OK);
    assert_int_equal(th.f->C_Login(rw, CKU_SO, PIN(TH_SO_PIN)), CKR_OK);
    assert_int_equal(th_count_label(rw, "priv"), 0);
    /* The session object went with its session. */
    assert_int_equal(th_count_label(rw, "sess"), 0);
    assert_int_equal(th_count_label(rw, "pub"), 1);
}

static void
test_objects_persist(void **state)
{
    CK_SLOT_ID slot = th_make_token("persist");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_OBJECT_HANDLE h;
    CK_RV rv;
    char buf[64];
    CK_ATTRIBUTE get = {CKA_VALUE, buf, sizeof(buf)};
    CK_ATTRIBUTE set = {CKA_LABEL, "renamed", 7};

    (void)state;
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    th_data_object(s, "p1", "public-one", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    h = th_data_object(s, "p2", "private-two", CK_TRUE, CK_TRUE, &rv);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(th.f->C_SetAttributeValue(s, h, &set, 1), CKR_OK);
    assert_int_equal(th.f->C_Finalize(NULL), CKR_OK);

    assert_int_equal(th.f->C_Initialize(NULL), CKR_OK);
    s = th_open(slot, 1);
    assert_int_equal(th_count_label(s, "p1"), 1);
    assert_int_equal(th_count_label(s, "renamed"), 0);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th_count_label(s, "renamed"), 1);
    /* Found again by label: a private object's handle from an earlier
     * login is not valid in a later one. */
    {
        CK_ATTRIBUTE by_label = {CKA_LABEL, "renamed", 7};
        CK_ULONG n = 0;

        assert_int_equal(th.f->C_FindObjectsInit(s, &by_label, 1), CKR_OK);
        assert_int_equal(th.f->C_FindObjects(s, &h, 1, &n), CKR_OK);
        assert_int_equal(n, 1);
        assert_int_equal(th.f->C_FindObjectsFinal(s), CKR_OK);
    }
    assert_int_equal(th.f->C_GetAttributeValue(s, h, &get, 1), CKR_OK);
    assert_int_equal(get.ulValueLen, strlen("private-two"));
    assert_memory_equal(buf, "private-two", get.ulValueLen);
    assert_int_equal(th.f->C_DestroyObject(s, h), CKR_OK);
    assert_int_equal(th_count_label(s, "renamed"), 0);
}

static void
test_reinit_wipes(void **state)
{
    CK_SLOT_ID slot = th_make_token("reinit");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_UTF8CHAR label[32];
    CK_RV rv;

    (void)state;
    th_data_object(s, "gone", "v", CK_TRUE, CK_FALSE, &rv);
    assert_int_equal(rv, CKR_OK);
    memset(label, ' ', sizeof(label));
    assert_int_equal(th.f->C_InitToken(slot, PIN(TH_SO_PIN), label), CKR_SESSION_EXISTS);
    assert_int_equal(th.f->C_CloseSession(s), CKR_OK);
    assert_int_equal(th.f->C_InitToken(slot, PIN("wrong-so"), label), CKR_PIN_INCORRECT);
    assert_int_equal(th.f->C_InitToken(slot, PIN(TH_SO_PIN), label), CKR_OK);
    assert_false(th_token_flags(slot) & CKF_USER_PIN_INITIALIZED);
    s = th_open(slot, 1);
    assert_int_equal(th_count_label(s, "gone"), 0);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)),
                     CKR_USER_PIN_NOT_INITIALIZED);
}

static void
test_profile_object(void **state)
{
    CK_SLOT_ID slot = th_make_token("profile");
    CK_SESSION_HANDLE s = th_open(slot, 1);
    CK_OBJECT_CLASS cls = CKO_PROFILE;
    CK_ATTRIBUTE t = {CKA_CLASS, &cls, sizeof(cls)};
    CK_OBJECT_HANDLE h;
    CK_ULONG n = 0;
    CK_PROFILE_ID id = 0;
    CK_ATTRIBUTE get = {CKA_PROFILE_ID, &id, sizeof(id)};
    CK_ATTRIBUTE set = {CKA_LABEL, "x", 1};

    (void)state;
    assert_int_equal(th.f->C_FindObjectsInit(s, &t, 1), CKR_OK);
    assert_int_equal(th.f->C_FindObjects(s, &h, 1, &n), CKR_OK);
    assert_int_equal(th.f->C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(th.f->C_GetAttributeValue(s, h, &get, 1), CKR_OK);
    assert_int_equal(id, CKP_BASELINE_PROVIDER);
    assert_int_equal(th.f->C_DestroyObject(s, h), CKR_ACTION_PROHIBITED);
    assert_int_equal(th.f->C_SetAttributeValue(s, h, &set, 1), CKR_ACTION_PROHIBITED);
}

/* An RSA key pair of bits; the module's answer. */
static CK_RV
gen_rsa(CK_SESSION_HANDLE s, CK_ULONG bits)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE pt[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}, {CKA_TOKEN, &no, 1}};
    CK_ATTRIBUTE st[] = {{CKA_TOKEN, &no, 1}};
    CK_OBJECT_HANDLE pub;
    CK_OBJECT_HANDLE priv;

    return th.f->C_GenerateKeyPair(s, &m, pt, 2, st, 1, &pub, &priv);
}

static void
test_rsa_min_bits_config(void **state)
{
    CK_MECHANISM_INFO info;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE s;

    (void)state;
    slot = th_make_token("rsa-default");
    s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 2048);
    assert_int_equal(gen_rsa(s, 1024), CKR_KEY_SIZE_RANGE);
    th_teardown();

    th_setup("rsa_min_bits = 1024\n");
    slot = th_make_token("rsa-1024");
    s = th_open(slot, 1);
    assert_int_equal(th.f->C_Login(s, CKU_USER, PIN(TH_USER_PIN)), CKR_OK);
    assert_int_equal(th.f->C_GetMechanismInfo(slot, CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 1024);
    assert_int_equal(gen_rsa(s, 1024), CKR_OK);
    assert_int_equal(gen_rsa(s, 512), CKR_KEY_SIZE_RANGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_slot_and_init, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_pin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_object_visibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_objects_persist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reinit_wipes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rsa_min_bits_config, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
