package tasklab.jupyter;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites class files so that an interrupt can stop them on any JDK: a call to
 * {@link CellStop#check()} at each method entry and before each backward branch (what JDK 22+
 * JShell's LocalExecutionControl does with the ClassFile API; ASM here because that API does not
 * exist on JDK 17), and System.exit / Runtime.exit / Runtime.halt sent to {@link CellStop}.
 * The inserted calls take and leave nothing on the operand stack and do not branch, so max stack,
 * locals and stack map frames stay valid as they are.
 */
final class StopWeaver extends ClassVisitor {
    static final String STOP = "tasklab/jupyter/CellStop";

    private StopWeaver(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** The woven class file, or the input unchanged when ASM cannot read or write it. */
    static byte[] weave(byte[] classFile) {
        try {
            ClassReader r = new ClassReader(classFile);
            ClassWriter w = new ClassWriter(0);
            r.accept(new StopWeaver(w), 0);
            return w.toByteArray();
        } catch (RuntimeException e) {
            // a class-file version newer than ASM knows, or a method at the 64 KiB limit: such a
            // class still runs, it just stops only through Thread.interrupt
            return classFile;
        }
    }

    /**
     * Weaves a small class made here (a method with a loop), so that ASM's classes are loaded and
     * verified before the first cell needs them. They cannot be in the class-data-sharing archive on
     * JDK 17 (ASM's class files are version 49, which JDK 17 does not archive), and loading them
     * took ~20 ms at the end of the first cell's critical path.
     */
    static void warm() {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "tasklab/jupyter/WarmWeave", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_STATIC, "spin", "(I)V", null, null);
        m.visitCode();
        Label top = new Label();
        m.visitLabel(top);
        m.visitFrame(Opcodes.F_FULL, 1, new Object[] {Opcodes.INTEGER}, 0, new Object[0]);
        m.visitIincInsn(0, -1);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFGT, top);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(1, 1);
        m.visitEnd();
        w.visitEnd();
        weave(w.toByteArray());
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
        // no entry check in <clinit>: a stop there would leave the class unusable for good
        return new Checks(mv, !name.equals("<clinit>"));
    }

    private static final class Checks extends MethodVisitor {
        private final boolean entryCheck;
        private final Set<Label> seen = new HashSet<>();

        Checks(MethodVisitor next, boolean entryCheck) {
            super(Opcodes.ASM9, next);
            this.entryCheck = entryCheck;
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, STOP, "check", "()V", false);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (entryCheck) check();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) check(); // a backward branch: a loop turn
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (anySeen(dflt, labels)) check();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (anySeen(dflt, labels)) check();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        private boolean anySeen(Label dflt, Label[] labels) {
            if (seen.contains(dflt)) return true;
            for (Label l : labels) if (seen.contains(l)) return true;
            return false;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System") && name.equals("exit") && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, STOP, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                    && (name.equals("exit") || name.equals("halt")) && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, STOP, name, "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, desc, itf);
            }
        }
    }
}
