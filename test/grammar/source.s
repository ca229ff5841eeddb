// SYNTAX TEST "source.go-asm" "Go assembly source (.s)"
// Copyright 2014 The Go Authors. All rights reserved.
// <-- punctuation.definition.comment.go-asm
// <------------ comment.line.double-slash.go-asm
#include "textflag.h"
// <-------- keyword.control.directive.include.go-asm
//       ^^^^^^^^^^^^ string.quoted.double.include.go-asm
#define V2_FEATURES_CX (1 << 0 | 1 << 9)
// <------- keyword.control.directive.define.go-asm
//      ^^^^^^^^^^^^^^ entity.name.function.preprocessor.go-asm
#ifndef hasAVX2
// <------- keyword.control.directive.conditional.go-asm
//      ^^^^^^^ entity.name.function.preprocessor.go-asm
#endif
// <------ keyword.control.directive.conditional.go-asm
/* block
// <-- punctuation.definition.comment.begin.go-asm
// <-------- comment.block.go-asm
   MOVQ AX, BX still a comment */
// ^^^^ comment.block.go-asm
//                             ^^ punctuation.definition.comment.end.go-asm
TEXT runtime·memclrNoHeapPointers<ABIInternal>(SB), NOSPLIT, $0-16
// <---- keyword.other.directive.go-asm
//   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.function.go-asm
//                               ^^^^^^^^^^^^^ storage.modifier.abi.go-asm
//                                             ^^ variable.language.pseudo-register.go-asm
//                                                  ^^^^^^^ storage.modifier.flag.go-asm
//                                                           ^^^^^ constant.numeric.frame-size.go-asm
//                                                           ^ punctuation.definition.immediate.go-asm
TEXT ·add(SB),NOSPLIT|NOFRAME,$0-24
//   ^^^^ entity.name.function.go-asm
//                    ^^^^^^^ storage.modifier.flag.go-asm
//                   ^ keyword.operator.go-asm
//                            ^^^^^ constant.numeric.frame-size.go-asm
	MOVQ	x+0(FP), AX	// AX = x
//^^^ keyword.other.mnemonic.go-asm
//    ^ variable.parameter.go-asm
//     ^ keyword.operator.arithmetic.go-asm
//      ^ constant.numeric.offset.go-asm
//        ^^ variable.language.pseudo-register.go-asm
//             ^^ variable.other.register.go-asm
//                ^^^^^^^^^ comment.line.double-slash.go-asm
	MOVQ	AX, ret+16(FP)
//        ^^^ variable.parameter.go-asm
//            ^^ constant.numeric.offset.go-asm
tail:
// <---- entity.name.label.go-asm
//  ^ punctuation.separator.label.go-asm
	TESTQ	BX, BX
//^^^^ keyword.other.mnemonic.go-asm
//     ^^ variable.other.register.go-asm
	JEQ	_0
//^^ keyword.control.branch.go-asm
//   ^^ entity.name.label.reference.go-asm
	JMP	loop
//   ^^^^ entity.name.label.reference.go-asm
	CMPB	internal∕cpu·X86+const_offsetX86HasERMS(SB), $1 // enhanced REP MOVSB
//^^^ keyword.other.mnemonic.go-asm
//    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ variable.other.symbol.go-asm
//                                            ^^ variable.language.pseudo-register.go-asm
//                                                 ^^ constant.numeric.immediate.go-asm
//                                                    ^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.go-asm
	VMOVDQU	Y0, (DI)(BX*1)
//^^^^^^ keyword.other.mnemonic.go-asm
//       ^^ variable.other.register.go-asm
//            ^^ variable.other.register.go-asm
//                  ^ keyword.operator.scale.go-asm
	MOVOU	X0, -16(DI)(BX*1)
//         ^^^ constant.numeric.offset.go-asm
//     ^^ variable.other.register.go-asm
	MOVQ	$runtime·mainPC(SB), AX
//    ^ keyword.operator.address.go-asm
//     ^^^^^^^^^^^^^^ variable.other.symbol.go-asm
	MOVQ	$NAME, R8
//     ^^^^ variable.other.constant.go-asm
//           ^^ variable.other.register.go-asm
	MOVQ	g(CX), AX
//    ^ variable.other.register.go-asm
//      ^^ variable.other.register.go-asm
	CALL	runtime·abort(SB)
//^^^ keyword.control.branch.go-asm
//    ^^^^^^^^^^^^^ entity.name.function.go-asm
	RET
//^^ keyword.control.branch.go-asm
DATA bad_cpu_msg<>+0x00(SB)/84, $"This program can only be run\n"
// <---- keyword.other.directive.go-asm
//   ^^^^^^^^^^^ variable.other.symbol.go-asm
//              ^^ storage.modifier.abi.go-asm
//                 ^^^^ constant.numeric.offset.go-asm
//                         ^ keyword.operator.width.go-asm
//                          ^^ constant.numeric.width.go-asm
//                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.go-asm
GLOBL bad_cpu_msg<>(SB), RODATA, $84
// <----- keyword.other.directive.go-asm
//                       ^^^^^^ storage.modifier.flag.go-asm
//                               ^^^ constant.numeric.immediate.go-asm
	PCALIGN $16
//^^^^^^ keyword.other.directive.go-asm
//       ^^^ constant.numeric.immediate.go-asm
	MOVSD	$(1.5), X0
//       ^^^ constant.numeric.immediate.go-asm
