/*
 * TrusToken PKCS#11 header: platform conventions.
 *
 * The specification leaves five macros to the platform [PKCS11 3.2 §2].
 * TrusToken targets Unix-like systems with gcc or clang, where the ABI that
 * applications and other modules expect is: plain pointers, no structure
 * packing, C calling convention, and CK_ULONG as unsigned long.
 *
 * Entry points carry default visibility so that the module, which is built
 * with -fvisibility=hidden, still exports the C_* functions it defines;
 * applications that only declare them are not affected by the attribute.
 */
#ifndef TK_PKCS11_PLATFORM_H
#define TK_PKCS11_PLATFORM_H

#if defined(__GNUC__) || defined(__clang__)
#define TK_P11_EXPORT __attribute__((visibility("default")))
#else
#define TK_P11_EXPORT
#endif

/* A pointer to any PKCS#11 type. */
#ifndef CK_PTR
#define CK_PTR *
#endif

/* Declares an entry point: CK_DECLARE_FUNCTION(CK_RV, C_Foo)(args); */
#ifndef CK_DECLARE_FUNCTION
#define CK_DECLARE_FUNCTION(returnType, name) TK_P11_EXPORT returnType name
#endif

/*
 * Defines an entry point in the module:
 *     CK_DEFINE_FUNCTION(CK_RV, C_Foo)(args) { ... }
 */
#ifndef CK_DEFINE_FUNCTION
#define CK_DEFINE_FUNCTION(returnType, name) TK_P11_EXPORT returnType name
#endif

/* Declares a pointer to an entry point, as held in a function list. */
#ifndef CK_DECLARE_FUNCTION_POINTER
#define CK_DECLARE_FUNCTION_POINTER(returnType, name) returnType (*name)
#endif

/* Declares a pointer to a callback that the application supplies. */
#ifndef CK_CALLBACK_FUNCTION
#define CK_CALLBACK_FUNCTION(returnType, name) returnType (*name)
#endif

#ifndef NULL_PTR
#define NULL_PTR 0
#endif

#endif /* TK_PKCS11_PLATFORM_H */
